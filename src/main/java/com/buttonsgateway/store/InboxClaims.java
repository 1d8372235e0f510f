package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims on inbox files for several instances reading one shared inbox (SPEC 9): each file is processed by the
 * instance whose claim commits first, in the same transaction as the file's messages, so a claim costs no commit of
 * its own. A claim lives from that commit until its file is moved; one left behind by an instance that died between
 * the two is taken over once it is {@code staleMillis} old (the file's items are then duplicates, SPEC 4.1).
 * A private store (H2 in file mode is one process's) needs no claims: {@link #none()}.
 */
public final class InboxClaims {

    /** The claim on one file, taken inside the transaction that stores the file's items. */
    @FunctionalInterface
    public interface Claim {
        /** True when this instance now holds the claim; false when another instance does. */
        boolean take(Connection c) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(InboxClaims.class);
    private static final InboxClaims NONE = new InboxClaims(null, null, null, 0);

    private final MessageStore store;
    private final Clock clock;
    private final String instance;
    private final long staleMillis;

    public InboxClaims(MessageStore store, Clock clock, String instance, long staleMillis) {
        this.store = store;
        this.clock = clock;
        this.instance = instance;
        this.staleMillis = staleMillis;
    }

    public static InboxClaims none() {
        return NONE;
    }

    public boolean active() {
        return store != null;
    }

    /** The claim for a file; its key is the name, size and modification time, so a new file of the same name is a new key. */
    public Claim claim(String key) {
        return active() ? c -> take(c, key, true) : null;
    }

    /** After the file was moved: the claim has done its work (not waited for; housekeeping removes a leftover). */
    public void release(String key) {
        if (active()) {
            store.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM gw_inbox_claim WHERE file_key = ? AND instance = ?")) {
                    ps.setString(1, key);
                    ps.setString(2, instance);
                    return ps.executeUpdate();
                }
            });
        }
    }

    /** Claims older than {@code olderThanMillis} whose files are long gone; bounded per call. */
    public int purge(long olderThanMillis) {
        if (!active()) {
            return 0;
        }
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM gw_inbox_claim WHERE claimed_at < ?")) {
                ps.setLong(1, clock.millis() - olderThanMillis);
                return ps.executeUpdate();
            }
        }).join();
    }

    private boolean take(Connection c, String key, boolean again) throws SQLException {
        long now = clock.millis();
        // a savepoint: a refused insert must not abort the shared transaction (PostgreSQL aborts it otherwise)
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gw_inbox_claim (file_key, instance, claimed_at) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, instance);
            ps.setLong(3, now);
            ps.executeUpdate();
            c.releaseSavepoint(sp);
            return true;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(sp);
        }
        String holder;
        long claimedAt;
        try (PreparedStatement ps = c.prepareStatement("SELECT instance, claimed_at FROM gw_inbox_claim WHERE file_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return again && take(c, key, false); // released meanwhile
                }
                holder = rs.getString(1);
                claimedAt = rs.getLong(2);
            }
        }
        if (instance.equals(holder) || claimedAt > now - staleMillis) {
            return instance.equals(holder);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE gw_inbox_claim SET instance = ?, claimed_at = ? WHERE file_key = ? AND claimed_at = ?")) {
            ps.setString(1, instance);
            ps.setLong(2, now);
            ps.setString(3, key);
            ps.setLong(4, claimedAt);
            if (ps.executeUpdate() == 1) {
                LOG.warn("inbox file {} was claimed by instance {} and never finished: taken over", key, holder);
                return true;
            }
            return false;
        }
    }
}
