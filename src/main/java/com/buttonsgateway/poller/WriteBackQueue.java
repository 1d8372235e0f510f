package com.buttonsgateway.poller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import com.buttonsgateway.store.StoreException;

/**
 * The write-backs still owed to legacy rows (SPEC 4.3), kept in the gateway's store ({@code gw_writeback}) so
 * they survive a crash: recorded when a row's item is stored, due once its message has finished, removed once the
 * row has its outcome.
 */
public final class WriteBackQueue {

    /** A finished message and the row it came from. */
    public record Due(String messageId, SqlValue key, String status, String unique, String reason) {
    }

    private final DataSource store;
    private final Clock clock;

    public WriteBackQueue(DataSource store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records that {@code messageId}'s outcome goes back to {@code row} (again, if it was written already). */
    public void add(String messageId, LegacyRow row) {
        try (Connection c = store.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE gw_writeback SET row_key = ?, row_key_type = ?, queued_at = ? WHERE message_id = ?")) {
                ps.setString(1, row.key());
                ps.setInt(2, row.keyType());
                ps.setLong(3, clock.millis());
                ps.setString(4, messageId);
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO gw_writeback (message_id, row_key, row_key_type, queued_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, messageId);
                ps.setString(2, row.key());
                ps.setInt(3, row.keyType());
                ps.setLong(4, clock.millis());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return; // recorded by another poller at the same moment: the same row, the same outcome
            }
            throw new StoreException("could not record the write-back of message " + messageId, e);
        }
    }

    /** Up to {@code limit} write-backs whose message has finished, oldest first. */
    public List<Due> due(int limit) {
        String sql = "SELECT w.message_id, w.row_key, w.row_key_type, m.status, m.provider_unique, m.reason "
                + "FROM gw_writeback w JOIN gw_message m ON m.id = w.message_id "
                + "WHERE m.status IN ('SENT', 'DEAD', 'REJECTED') ORDER BY w.queued_at LIMIT ?";
        List<Due> due = new ArrayList<>();
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getString(1), new SqlValue(rs.getString(2), rs.getInt(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the pending write-backs", e);
        }
        return due;
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
