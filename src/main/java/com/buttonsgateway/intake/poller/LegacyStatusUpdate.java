package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.buttonsgateway.dispatch.Backoff;
import com.buttonsgateway.webhook.DeliveryStatus;
import com.buttonsgateway.request.LogText;
import com.buttonsgateway.store.Sql;
import com.buttonsgateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells legacy rows how their message is doing (SPEC 4.3): a status hook that names a message taken from a
 * row owes its delivery status to that row ({@code gw_legacy_status}, set in the webhook's transaction), and this runs
 * {@code gateway.poller.status-update} with {@code :#id} (the row's key, with its SQL type) and {@code :#deliveryStatus}
 * (sent, delivered, read, played, failed, or the provider's own value). A failed update is tried again with backoff
 * ({@code gateway.retry.*}), at most {@link #MAX_ATTEMPTS} times, then given up with an ERROR naming the row; a newer
 * status that comes meanwhile replaces the one owed. Once a last status (read, played, failed) is written, the row's
 * record goes; records of messages that retention deleted go too.
 */
public final class LegacyStatusUpdate {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyStatusUpdate.class);
    static final int BATCH = 200;
    static final int MAX_ATTEMPTS = 20;
    private static final long CLEANUP_EVERY_MILLIS = 3_600_000L;

    /** A delivery status owed to a row. */
    record Due(String messageId, SqlValue key, String status, int attempts) {
    }

    private final DataSource legacy;
    private final NamedSql statement;
    private final DataSource store;
    private final Clock clock;
    private final Backoff backoff;
    private long nextCleanup;

    /** @param statement {@code gateway.poller.status-update}, or null when statuses are not written to rows */
    public LegacyStatusUpdate(DataSource legacy, NamedSql statement, DataSource store, Clock clock, Backoff backoff) {
        this.legacy = legacy;
        this.statement = statement;
        this.store = store;
        this.clock = clock;
        this.backoff = backoff;
    }

    /** Writes up to one batch of owed statuses to their rows; returns how many were written. */
    public int update() throws SQLException {
        if (statement == null) {
            return 0;
        }
        List<Due> due = due();
        if (due.isEmpty()) {
            cleanup();
            return 0;
        }
        int written = 0;
        try (Connection c = legacy.getConnection()) {
            c.setAutoCommit(true);
            for (Due d : due) {
                try {
                    int rows = statement.execute(c, Map.of("id", d.key(), "deliveryStatus", SqlValue.text(d.status())));
                    if (rows == 0) {
                        LOG.warn("id={} gateway.poller.status-update changed no row for db:{}; the delivery status {} is not written",
                                d.messageId(), LogText.safe(d.key().text()), LogText.safe(d.status()));
                    } else {
                        LOG.info("id={} delivery status {} written to row db:{}", d.messageId(), LogText.safe(d.status()),
                                LogText.safe(d.key().text()));
                    }
                } catch (SQLException e) {
                    failed(d, e);
                    continue;
                }
                written(d);
                written++;
            }
        }
        return written;
    }

    private List<Due> due() {
        List<Due> due = new ArrayList<>();
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT message_id, row_key, row_key_type, delivery_status, attempts FROM gw_legacy_status "
                        + "WHERE next_at <= ? ORDER BY next_at LIMIT ?")) {
            ps.setLong(1, clock.millis());
            ps.setInt(2, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getString(1), new SqlValue(rs.getString(2), rs.getInt(3)), rs.getString(4), rs.getInt(5)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the delivery statuses owed to legacy rows", e);
        }
        return due;
    }

    /** Written: nothing owed until the next status (a last one: the record goes), unless a newer one came meanwhile. */
    private void written(Due d) {
        String sql = DeliveryStatus.last(d.status())
                ? "DELETE FROM gw_legacy_status WHERE message_id = ? AND delivery_status = ?"
                : "UPDATE gw_legacy_status SET next_at = NULL, attempts = 0, last_error = NULL WHERE message_id = ? AND delivery_status = ?";
        storeUpdate(sql, d.messageId(), d.status());
    }

    private void failed(Due d, SQLException e) {
        int attempts = d.attempts() + 1;
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String cut = error.length() > 2000 ? error.substring(0, 2000) : error;
        if (attempts >= MAX_ATTEMPTS) {
            storeUpdate("UPDATE gw_legacy_status SET next_at = NULL, attempts = ?, last_error = ? "
                    + "WHERE message_id = ? AND delivery_status = ?", attempts, cut, d.messageId(), d.status());
            LOG.error("id={} gateway.poller.status-update failed {} times for row db:{}; the delivery status {} is given up: {}",
                    d.messageId(), attempts, LogText.safe(d.key().text()), LogText.safe(d.status()), LogText.safe(error));
            return;
        }
        long delay = backoff.delayAfter(attempts);
        storeUpdate("UPDATE gw_legacy_status SET next_at = ?, attempts = ?, last_error = ? WHERE message_id = ? AND delivery_status = ?",
                clock.millis() + delay, attempts, cut, d.messageId(), d.status());
        LOG.warn("id={} gateway.poller.status-update failed for row db:{} (try {}), tried again in {} ms: {}", d.messageId(),
                LogText.safe(d.key().text()), attempts, delay, LogText.safe(error));
    }

    /** Now and then: the records of messages that retention deleted, in small batches. */
    private void cleanup() {
        long now = clock.millis();
        if (now < nextCleanup) {
            return;
        }
        nextCleanup = now + CLEANUP_EVERY_MILLIS;
        List<String> gone = new ArrayList<>();
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT s.message_id FROM gw_legacy_status s WHERE s.next_at IS NULL "
                        + "AND NOT EXISTS (SELECT 1 FROM gw_message m WHERE m.id = s.message_id) LIMIT 500")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gone.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the delivery statuses owed to legacy rows", e);
        }
        for (String id : gone) {
            storeUpdate("DELETE FROM gw_legacy_status WHERE message_id = ? AND next_at IS NULL", id);
        }
    }

    private void storeUpdate(String sql, Object... args) {
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not update the delivery statuses owed to legacy rows", e);
        }
    }
}
