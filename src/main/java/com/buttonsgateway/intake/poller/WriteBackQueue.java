package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoreException;

/**
 * The write-backs still owed to legacy rows (SPEC 4.3), kept in the gateway's store ({@code gw_writeback}) so
 * they survive a crash: recorded when a row's item is stored, due once its message has finished, removed once the
 * row has its outcome.
 */
public final class WriteBackQueue {

    /** A finished message and the row it came from. */
    public record Due(String messageId, SqlValue key, Status status, String unique, String reason) {
    }

    /** The statuses a row's outcome is written back with: the message is finished and was sent, or will never be (SPEC 4.3). */
    private static final String FINISHED = "'" + Status.SENT.name() + "', '" + Status.DEAD.name() + "', '" + Status.REJECTED.name() + "'";

    private final DataSource store;
    private final Clock clock;
    private final boolean statuses;

    public WriteBackQueue(DataSource store, Clock clock) {
        this(store, clock, false);
    }

    /**
     * @param statuses gateway.poller.status-update is set: each message's row is also remembered in
     *                 {@code gw_legacy_status}, so its delivery statuses can be written to the row later (SPEC 4.3)
     */
    public WriteBackQueue(DataSource store, Clock clock, boolean statuses) {
        this.store = store;
        this.clock = clock;
        this.statuses = statuses;
    }

    /** A message whose outcome goes back to a legacy row. */
    public record Pending(String messageId, LegacyRow row) {
    }

    /** Records that {@code messageId}'s outcome goes back to {@code row} (again, if it was written already). */
    public void add(String messageId, LegacyRow row) {
        addAll(List.of(new Pending(messageId, row)));
    }

    /** Records several in one transaction of the store (a poll's worth: one commit instead of one per row). */
    public void addAll(List<Pending> pending) {
        if (pending.isEmpty()) {
            return;
        }
        try (Connection c = store.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE gw_writeback SET row_key = ?, row_key_type = ?, queued_at = ? WHERE message_id = ?");
                 PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO gw_writeback (message_id, row_key, row_key_type, queued_at) VALUES (?, ?, ?, ?)")) {
                long now = clock.millis();
                for (Pending p : pending) {
                    update.setString(1, p.row().key());
                    update.setInt(2, p.row().keyType());
                    update.setLong(3, now);
                    update.setString(4, p.messageId());
                    if (update.executeUpdate() == 0) {
                        insert.setString(1, p.messageId());
                        insert.setString(2, p.row().key());
                        insert.setInt(3, p.row().keyType());
                        insert.setLong(4, now);
                        insert.executeUpdate();
                    }
                }
                if (statuses) {
                    rememberRows(c, pending);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not record the write-back of " + pending.size() + " message(s), the first "
                    + pending.get(0).messageId(), e);
        }
    }

    /** In the same transaction: the row of each message, for gateway.poller.status-update (LegacyStatusUpdate). */
    private static void rememberRows(Connection c, List<Pending> pending) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE gw_legacy_status SET row_key = ?, row_key_type = ? WHERE message_id = ?");
             PreparedStatement insert = c.prepareStatement(
                "INSERT INTO gw_legacy_status (message_id, row_key, row_key_type) VALUES (?, ?, ?)")) {
            for (Pending p : pending) {
                update.setString(1, p.row().key());
                update.setInt(2, p.row().keyType());
                update.setString(3, p.messageId());
                if (update.executeUpdate() == 0) {
                    insert.setString(1, p.messageId());
                    insert.setString(2, p.row().key());
                    insert.setInt(3, p.row().keyType());
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Up to {@code limit} write-backs whose message has finished, oldest first; none put back (skipped) for later. */
    public List<Due> due(int limit) {
        String sql = "SELECT w.message_id, w.row_key, w.row_key_type, m.status, m.provider_unique, m.reason "
                + "FROM gw_writeback w JOIN gw_message m ON m.id = w.message_id "
                + "WHERE m.status IN (" + FINISHED + ") AND w.queued_at <= ? ORDER BY w.queued_at LIMIT ?";
        List<Due> due = new ArrayList<>();
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, clock.millis());
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getString(1), new SqlValue(rs.getString(2), rs.getInt(3)), Status.valueOf(rs.getString(4)),
                            rs.getString(5), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the pending write-backs", e);
        }
        return due;
    }

    /**
     * A write-back that keeps failing is put back: not due before {@code millis} from now, so the ones behind it go
     * first (SPEC 9). {@code queued_at} then holds when it is due again.
     */
    public void postpone(String messageId, long millis) {
        try (Connection c = store.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE gw_writeback SET queued_at = ? WHERE message_id = ?")) {
            ps.setLong(1, clock.millis() + millis);
            ps.setString(2, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not put back the write-back of message " + messageId, e);
        }
    }

    /** The row has its outcome. */
    public void done(String messageId) {
        try (Connection c = store.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM gw_writeback WHERE message_id = ?")) {
            ps.setString(1, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not mark the write-back of message " + messageId + " done", e);
        }
    }

    /** How many write-backs are still owed (finished or not). */
    public int size() {
        try (Connection c = store.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gw_writeback");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new StoreException("could not count the pending write-backs", e);
        }
    }
}
