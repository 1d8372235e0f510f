package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The provider's webhook deliveries (gw_hook, SPEC 6): each recorded once, in the webhook's transaction, then waiting
 * for its hand-over to its route (V8__hook_handover.sql) until retention deletes it (SPEC 9); and the delivery status
 * a status hook sets on the message it names. A hand-over try claims one delivery with a guarded UPDATE (so instances
 * sharing the store never try one delivery at the same time), moves its due time a lease ahead, and only that try
 * (fenced by its attempt number) marks it handed over or schedules the next try.
 */
public final class Hooks {

    /** A delivery claimed for one hand-over try; {@code attempt} is the try's number (1 for the first). */
    public record Claimed(String key, String hook, String type, String account, String contact, long receivedAt, String payload,
                          int attempt) {
    }

    /** A delivery as the API shows it; {@code nextHandoverAt} null when nothing is owed. */
    public record Row(String key, String hook, String type, String account, String contact, long receivedAt, int attempts,
                      Long nextHandoverAt, Long handedOverAt, String lastError) {
    }

    /** The message a status hook names, and its delivery status now. */
    public record Named(String messageId, String deliveryStatus) {
    }

    /** Candidates read per claim: another instance may take the first ones meanwhile. */
    private static final int CANDIDATES = 8;
    private static final int ERROR_COLUMN = 2000;

    private final DataSource dataSource;
    private final Clock clock;

    public Hooks(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Records one webhook delivery; false when the same key was recorded before (a redelivery). */
    public boolean record(String key, String hook, String type, String account, String contact, String payload) {
        try (Connection c = dataSource.getConnection()) {
            return record(c, key, hook, type, account, contact, payload);
        } catch (SQLException e) {
            throw new StoreException("could not store a webhook delivery", e);
        }
    }

    /**
     * The same, in the caller's transaction; a redelivery leaves the transaction to be rolled back (PostgreSQL aborts it).
     * The delivery is due for its hand-over to its route at once (SPEC 6, HookHandover).
     */
    public boolean record(Connection c, String key, String hook, String type, String account, String contact, String payload)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gw_hook (unique_id, hook, type, account, contact, received_at, "
                + "payload, next_handover_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            long now = clock.millis();
            ps.setString(1, key);
            ps.setString(2, hook);
            ps.setString(3, type);
            ps.setString(4, account);
            ps.setString(5, contact);
            ps.setLong(6, now);
            ps.setString(7, payload);
            ps.setLong(8, now);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Claims the delivery due first, its due time moved {@code leaseMillis} ahead (a crash in the try leaves it due again). */
    public Optional<Claimed> claimNext(long leaseMillis) {
        long now = clock.millis();
        List<Claimed> candidates = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT unique_id, hook, type, account, contact, received_at, payload, "
                    + "handover_attempts FROM gw_hook WHERE next_handover_at <= ? ORDER BY next_handover_at, received_at LIMIT ?")) {
                Sql.bind(ps, now, CANDIDATES);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getLong(6), rs.getString(7), rs.getInt(8)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE gw_hook SET next_handover_at = ?, handover_attempts = handover_attempts + 1 "
                    + "WHERE unique_id = ? AND handover_attempts = ? AND next_handover_at <= ?")) {
                for (Claimed h : candidates) {
                    Sql.bind(ps, now + leaseMillis, h.key(), h.attempt(), now);
                    if (ps.executeUpdate() == 1) {
                        return Optional.of(new Claimed(h.key(), h.hook(), h.type(), h.account(), h.contact(), h.receivedAt(), h.payload(),
                                h.attempt() + 1));
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("could not claim a webhook delivery for its hand-over", e);
        }
    }

    /** The try succeeded: nothing more is owed. False when the claim was no longer this try's (its lease ran out). */
    public boolean handedOver(String key, int attempt) {
        return update("UPDATE gw_hook SET next_handover_at = NULL, handed_over_at = ?, last_error = NULL "
                + "WHERE unique_id = ? AND handover_attempts = ?", clock.millis(), key, attempt) == 1;
    }

    /** The try failed: the next one is due at {@code nextAt}, the error kept for the API (cut to its column). */
    public boolean failed(String key, int attempt, long nextAt, String error) {
        return update("UPDATE gw_hook SET next_handover_at = ?, last_error = ? WHERE unique_id = ? AND handover_attempts = ?",
                nextAt, fit(error, ERROR_COLUMN), key, attempt) == 1;
    }

    /**
     * Every waiting delivery due now: at the start of an instance with a private store, a try that was in flight when
     * the process stopped is over, and a restart is a good moment to try the others again too.
     */
    public int dueNow() {
        long now = clock.millis();
        return update("UPDATE gw_hook SET next_handover_at = ? WHERE next_handover_at > ?", now, now);
    }

    /** How many deliveries wait for their hand-over. */
    public long waiting() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gw_hook WHERE next_handover_at IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("could not count webhook deliveries", e);
        }
    }

    /** Deliveries for the API: the waiting ones, due first, or all, newest first. */
    public List<Row> list(boolean waitingOnly, int limit) {
        String sql = "SELECT unique_id, hook, type, account, contact, received_at, handover_attempts, next_handover_at, handed_over_at, "
                + "last_error FROM gw_hook " + (waitingOnly ? "WHERE next_handover_at IS NOT NULL ORDER BY next_handover_at, received_at"
                : "ORDER BY received_at DESC") + " LIMIT ?";
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                            rs.getInt(7), rs.getObject(8, Long.class), rs.getObject(9, Long.class), rs.getString(10)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read webhook deliveries", e);
        }
        return rows;
    }

    // --- retention (SPEC 9) ------------------------------------------------------------------------------------

    /**
     * Keys of webhook deliveries received before {@code before}, oldest first, at most {@code limit}; never one still
     * owed to its route (next_handover_at set: not handed over yet).
     */
    public List<String> receivedBefore(long before, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT unique_id FROM gw_hook WHERE received_at < ? AND next_handover_at IS NULL ORDER BY received_at LIMIT ?")) {
            Sql.bind(ps, before, limit);
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new StoreException("could not read webhook deliveries", e);
        }
    }

    /** Deletes these webhook deliveries in one short transaction, unless one is owed to its route again; how many went. */
    public int delete(List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("DELETE FROM gw_hook WHERE next_handover_at IS NULL AND unique_id IN (");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        return update(sql.append(')').toString(), keys.toArray());
    }


    // --- delivery status (SPEC 6: a status hook sets deliveryStatus of the message it names) ---------------------

    /** The message the gateway sent with this provider {@code unique}, in the caller's transaction. */
    public Optional<Named> named(Connection c, String unique) throws SQLException {
        // provider_unique is stored cut to its column: a hook naming the whole value finds it by the same cut
        try (PreparedStatement ps = c.prepareStatement("SELECT id, delivery_status FROM gw_message WHERE provider_unique = ?")) {
            Sql.bind(ps, fit(unique, 128));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Named(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * Sets the message's delivery status if it is still {@code expected} (another hook may have changed it meanwhile:
     * false then, and the caller decides again), and owes it to the message's legacy row when there is one
     * (gateway.poller.status-update). In the caller's transaction.
     */
    public boolean deliveryStatus(Connection c, String messageId, String expected, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE gw_message SET delivery_status = ? WHERE id = ? AND COALESCE(delivery_status, '') = ?")) {
            Sql.bind(ps, status, messageId, expected == null ? "" : expected);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE gw_legacy_status SET delivery_status = ?, next_at = ?, attempts = 0, "
                + "last_error = NULL WHERE message_id = ?")) {
            Sql.bind(ps, status, clock.millis(), messageId);
            ps.executeUpdate();
        }
        return true;
    }

    static String fit(String value, int max) {
        if (value == null || value.length() <= max || value.codePointCount(0, value.length()) <= max) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, max));
    }

    private int update(String sql, Object... args) {
        return Sql.update(dataSource, "update webhook deliveries", sql, args);
    }
}
