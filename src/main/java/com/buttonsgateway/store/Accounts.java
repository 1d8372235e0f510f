package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sender accounts (gw_account): whether an account ever had an {@code OK}, and the pause that provider reason 2/3 puts
 * on its dispatch until it is resumed (SPEC 7). The claim's select leaves a paused account's messages alone
 * (MessageStore); this class only keeps the account rows.
 */
public final class Accounts {

    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

    private final DataSource dataSource;
    private final Clock clock;
    /** Accounts this process saw an OK for: "ever had an OK" is then settled without a query (SPEC 7, reason 2). */
    private final Set<String> knownOk = ConcurrentHashMap.newKeySet();

    public Accounts(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The provider answered OK for this account: a later reason 2 pauses it instead of killing the message (SPEC 7). */
    public void accountOk(String account) {
        if (!knownOk.add(account)) {
            return;
        }
        if (update("UPDATE gw_account SET ever_ok = TRUE WHERE account = ? AND ever_ok = FALSE", account) == 0
                && !accountExists(account)) {
            insertAccount(account, true, null);
        }
    }

    /** Whether the account ever had an OK (here or in another instance sharing the store). */
    public boolean everOk(String account) {
        if (knownOk.contains(account)) {
            return true;
        }
        return query1("SELECT ever_ok FROM gw_account WHERE account = ?", account).map(Boolean.class::cast).orElse(false);
    }

    /** Reason 2/3: the account's messages wait until it is resumed; the reason is cut to its column. */
    public void pause(String account, String providerReason) {
        String reason = Columns.fitText(providerReason, Columns.PAUSED_REASON);
        if (update("UPDATE gw_account SET paused_reason = ?, paused_at = ? WHERE account = ?", reason, clock.millis(), account) == 0) {
            insertAccount(account, false, reason);
        }
        LOG.warn("account={} paused reason={}", account, reason);
    }

    /** Resumes a paused account; false when it was not paused. */
    public boolean resume(String account) {
        boolean resumed = update("UPDATE gw_account SET paused_reason = NULL, paused_at = NULL WHERE account = ? AND paused_reason IS NOT NULL",
                account) == 1;
        if (resumed) {
            LOG.info("account={} resumed", account);
        }
        return resumed;
    }

    /** Every paused account resumes (SPEC 7: a restart resumes them). */
    public void resumeAll() {
        update("UPDATE gw_account SET paused_reason = NULL, paused_at = NULL WHERE paused_reason IS NOT NULL");
    }

    /** Paused accounts and their reasons, by account. */
    public Map<String, String> pausedAccounts() {
        Map<String, String> paused = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT account, paused_reason FROM gw_account WHERE paused_reason IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                paused.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read accounts", e);
        }
        return paused;
    }

    private boolean accountExists(String account) {
        return query1("SELECT 1 FROM gw_account WHERE account = ?", account).isPresent();
    }

    private void insertAccount(String account, boolean everOk, String pausedReason) {
        try {
            update("INSERT INTO gw_account (account, ever_ok, paused_reason, paused_at) VALUES (?, ?, ?, ?)",
                    account, everOk, pausedReason, pausedReason == null ? null : clock.millis());
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql && Sql.isUniqueViolation(sql))) {
                throw e;
            }
            if (everOk) {
                update("UPDATE gw_account SET ever_ok = TRUE WHERE account = ?", account);
            } else {
                update("UPDATE gw_account SET paused_reason = ?, paused_at = ? WHERE account = ?", pausedReason, clock.millis(), account);
            }
        }
    }

    private Optional<Object> query1(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getObject(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the store", e);
        }
    }

    private int update(String sql, Object... args) {
        return Sql.update(dataSource, "update the store", sql, args);
    }
}
