package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The provider's circuit in the store (SPEC 7, table {@code gw_provider_circuit}, one row): kept across restarts and
 * shared by every instance on the store, like the account pause. Each change is one guarded UPDATE, so two instances
 * never both open it, both close it, or both hold the probe's slot.
 */
public final class CircuitStore {

    /** The row as read: open while {@code openedAt} is set. */
    public record Row(Long openedAt, String lastError, Long lastErrorAt, Long intervalMillis, Long nextProbeAt, String probeToken,
                      Long probeUntil, Long probeSeq) {
        public boolean open() {
            return openedAt != null;
        }
    }

    /** Claims leave every message alone while this holds (MessageStore.claim): only the probe goes out. */
    static final String CLOSED = "NOT EXISTS (SELECT 1 FROM gw_provider_circuit k WHERE k.opened_at IS NOT NULL)";
    private static final String TAKING = "taking";

    private final DataSource dataSource;

    public CircuitStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Row read() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT opened_at, last_error, last_error_at, probe_interval_ms, next_probe_at, "
                     + "probe_token, probe_until, probe_seq FROM gw_provider_circuit WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Row(null, null, null, null, null, null, null, null);
            }
            return new Row(nullable(rs, 1), rs.getString(2), nullable(rs, 3), nullable(rs, 4), nullable(rs, 5), rs.getString(6),
                    nullable(rs, 7), nullable(rs, 8));
        } catch (SQLException e) {
            throw new StoreException("could not read the provider's circuit", e);
        }
    }

    /** Opens a closed circuit, its first probe {@code intervalMillis} from now; false when it was open already. */
    public boolean open(long now, String error, long intervalMillis) {
        return update("UPDATE gw_provider_circuit SET opened_at = ?, last_error = ?, last_error_at = ?, probe_interval_ms = ?, "
                + "next_probe_at = ?, probe_token = NULL, probe_until = NULL, probe_seq = NULL WHERE id = 1 AND opened_at IS NULL",
                now, fit(error), now, intervalMillis, now + intervalMillis) == 1;
    }

    /** Another failure while open: the error the health check and the console name. */
    public void lastError(long now, String error) {
        update("UPDATE gw_provider_circuit SET last_error = ?, last_error_at = ? WHERE id = 1 AND opened_at IS NOT NULL", fit(error), now);
    }

    /** Closes an open circuit; returns when it had opened, or null when it was closed already (another instance closed it). */
    public Long close() {
        Row row = read();
        if (!row.open()) {
            return null;
        }
        int closed = update("UPDATE gw_provider_circuit SET opened_at = NULL, next_probe_at = NULL, probe_interval_ms = NULL, "
                + "probe_token = NULL, probe_until = NULL, probe_seq = NULL WHERE id = 1 AND opened_at = ?", row.openedAt());
        return closed == 1 ? row.openedAt() : null;
    }

    /** The probe under {@code token} failed: its slot is free, the next one due {@code intervalMillis} from now. */
    public boolean probeFailed(String token, long now, long intervalMillis, String error) {
        return update("UPDATE gw_provider_circuit SET probe_token = NULL, probe_until = NULL, probe_interval_ms = ?, next_probe_at = ?, "
                + "last_error = ?, last_error_at = ? WHERE id = 1 AND probe_token = ?", intervalMillis, now + intervalMillis, fit(error), now, token) == 1;
    }

    /** The probe under {@code token} made no call (held, refused before the call): the slot is free, the probe still due. */
    public boolean releaseProbe(String token) {
        return update("UPDATE gw_provider_circuit SET probe_token = NULL, probe_until = NULL WHERE id = 1 AND probe_token = ?", token) == 1;
    }

    /** At start with a private store: a probe in flight belonged to a previous run of this process. */
    public void releaseAnyProbe() {
        update("UPDATE gw_provider_circuit SET probe_token = NULL, probe_until = NULL WHERE id = 1 AND probe_token IS NOT NULL");
    }

    /** The probe under {@code token} is still being worked on: its slot is kept until {@code until}. */
    public boolean renewProbe(String token, long until) {
        return update("UPDATE gw_provider_circuit SET probe_until = ? WHERE id = 1 AND probe_token = ?", until, token) == 1;
    }

    /**
     * In the claim's transaction: takes the probe's slot when the circuit is open, the probe is due and no other probe
     * holds it (or the one that did outlived {@code until} of its instance). Returns the message the last probe sent
     * (to be left out while another is due), -1 when none, or null when no probe may go now.
     */
    Long takeProbe(Connection c, long now, long until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE gw_provider_circuit SET probe_token = ?, probe_until = ? WHERE id = 1 "
                + "AND opened_at IS NOT NULL AND next_probe_at <= ? AND (probe_token IS NULL OR probe_until < ?)")) {
            Sql.bind(ps, TAKING, until, now, now);
            if (ps.executeUpdate() != 1) {
                return null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT probe_seq FROM gw_provider_circuit WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            Long seq = rs.next() ? nullable(rs, 1) : null;
            return seq == null ? -1L : seq;
        }
    }

    /** In the same transaction: the probe's message was claimed under {@code token}, or (null) none was due: the slot is free. */
    void probeClaimed(Connection c, StoredMessage probe) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(probe == null
                ? "UPDATE gw_provider_circuit SET probe_token = NULL, probe_until = NULL WHERE id = 1 AND probe_token = ?"
                : "UPDATE gw_provider_circuit SET probe_token = ?, probe_seq = ? WHERE id = 1 AND probe_token = ?")) {
            if (probe == null) {
                Sql.bind(ps, TAKING);
            } else {
                Sql.bind(ps, probe.claimToken(), probe.seq(), TAKING);
            }
            ps.executeUpdate();
        }
    }

    /**
     * The failures that opened the circuit are not the messages' fault (SPEC 7): each one's attempt is given back and the
     * message is due again at once (the circuit decides when it goes). Run on the store writer, after the transitions
     * that counted them; relative, so it holds whether a message waits or was claimed again meanwhile.
     */
    public int giveBack(Connection c, List<Long> seqs, long now) throws SQLException {
        int given = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE gw_message SET attempts = attempts - 1, "
                + "next_attempt_at = CASE WHEN status = 'QUEUED' AND next_attempt_at > ? THEN ? ELSE next_attempt_at END "
                + "WHERE seq = ? AND attempts > 0 AND status IN ('QUEUED', 'SENDING')")) {
            for (long seq : seqs) {
                Sql.bind(ps, now, now, seq);
                given += ps.executeUpdate();
            }
        }
        return given;
    }

    private static String fit(String error) {
        return Columns.fitText(error, Columns.PAUSED_REASON);
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private int update(String sql, Object... args) {
        return Sql.update(dataSource, "update the provider's circuit", sql, args);
    }
}
