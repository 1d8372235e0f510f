package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contacts opted out of one sender account's messages (SPEC 5), table {@code gw_opt_out}. Changed by hand through
 * the admin API, and by the contact's own STOP / START (gateway.optout.keywords, gateway.optin.keywords) in the
 * webhook's transaction; dispatch refuses a message to an opted-out contact.
 */
public final class OptOuts {

    private static final Logger LOG = LoggerFactory.getLogger(OptOuts.class);

    private final DataSource dataSource;
    private final Clock clock;

    public OptOuts(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** When the contact opted out of this account's messages; empty when it did not. */
    public Optional<Instant> optedOutAt(String account, String contact) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT opted_out_at FROM gw_opt_out WHERE account = ? AND contact = ?")) {
            ps.setString(1, account);
            ps.setString(2, contact);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the opt-out of " + contact, e);
        }
    }

    /** Opts the contact out; one already out keeps the time it opted out. Returns that time. */
    public Instant optOut(String account, String contact) {
        long now = clock.millis();
        try (Connection c = dataSource.getConnection()) {
            if (optOut(c, account, contact)) {
                LOG.info("contact={} account={} opted out (by hand)", contact, account);
            }
        } catch (SQLException e) {
            // two opt-outs at once: the other one's row stands
            if (!"23505".equals(e.getSQLState())) {
                throw new StoreException("could not opt out " + contact, e);
            }
        }
        return optedOutAt(account, contact).orElse(Instant.ofEpochMilli(now));
    }

    /**
     * Opts the contact out in the caller's transaction (the webhook's, SPEC 5); true when it was not out before. A
     * concurrent opt-out of the same contact may fail it with a unique violation: the caller's transaction is retried.
     */
    public boolean optOut(Connection c, String account, String contact) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gw_opt_out (account, contact, opted_out_at) SELECT ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM gw_opt_out WHERE account = ? AND contact = ?)")) {
            Sql.bind(ps, account, contact, clock.millis(), account, contact);
            return ps.executeUpdate() > 0;
        }
    }

    /** Opts the contact back in; false when it was not opted out. */
    public boolean optIn(String account, String contact) {
        try (Connection c = dataSource.getConnection()) {
            boolean in = optIn(c, account, contact);
            if (in) {
                LOG.info("contact={} account={} opted back in (by hand)", contact, account);
            }
            return in;
        } catch (SQLException e) {
            throw new StoreException("could not opt in " + contact, e);
        }
    }

    /** Opts the contact back in, in the caller's transaction; false when it was not opted out. */
    public boolean optIn(Connection c, String account, String contact) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM gw_opt_out WHERE account = ? AND contact = ?")) {
            ps.setString(1, account);
            ps.setString(2, contact);
            return ps.executeUpdate() > 0;
        }
    }
}
