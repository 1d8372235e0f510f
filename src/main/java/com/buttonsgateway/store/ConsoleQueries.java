package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The store read the way the operator console looks at it (SPEC 10): what waits for a retry, paused accounts with
 * their time, sent messages per minute, dead letters in a light form to group by reason. Read-only.
 */
public final class ConsoleQueries {

    /** A sender account paused by provider reason 2/3 (SPEC 7); {@code pausedAt} epoch milliseconds, or null. */
    public record Paused(String account, String reason, Long pausedAt) {
    }

    /** One dead message, as much as grouping and listing by reason needs. */
    public record DeadRow(String id, String contact, String reason, long finishedAt) {
    }

    /** Messages sent per minute: {@code counts[i]} in the minute starting at {@code firstMinute + i * 60 000} ms. */
    public record PerMinute(long firstMinute, long[] counts) {
    }

    private static final long MINUTE = 60_000L;

    private final DataSource dataSource;
    private final Clock clock;

    public ConsoleQueries(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** QUEUED messages that failed at least once and wait for their next attempt. */
    public long waitingForRetry() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gw_message WHERE status = 'QUEUED' AND attempts > 0");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("could not count retries", e);
        }
    }

    /** Paused sender accounts, by account. */
    public List<Paused> paused() {
        List<Paused> paused = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT account, paused_reason, paused_at FROM gw_account WHERE paused_reason IS NOT NULL ORDER BY account");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long at = rs.getLong(3);
                paused.add(new Paused(rs.getString(1), rs.getString(2), rs.wasNull() ? null : at));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read accounts", e);
        }
        return paused;
    }

    /** Sender accounts the store knows (that had an OK or were paused), by account. */
    public List<String> accounts() {
        List<String> accounts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT account FROM gw_account ORDER BY account");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                accounts.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read accounts", e);
        }
        return accounts;
    }

    /** SENT messages per minute (by finishedAt) over the last {@code minutes} minutes, this minute last. */
    public PerMinute sentPerMinute(int minutes) {
        long thisMinute = clock.millis() / MINUTE;
        long first = thisMinute - minutes + 1;
        long[] counts = new long[minutes];
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT finished_at / 60000, COUNT(*) FROM gw_message "
                     + "WHERE finished_at >= ? AND status = 'SENT' GROUP BY finished_at / 60000")) {
            ps.setLong(1, first * MINUTE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long index = rs.getLong(1) - first;
                    // a finishedAt ahead of this clock (another instance's) counts in this minute
                    counts[(int) Math.min(index, minutes - 1L)] += rs.getLong(2);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not count sent messages", e);
        }
        return new PerMinute(first * MINUTE, counts);
    }

    /**
     * DEAD messages, newest first, at most {@code max}: optionally of one contact and finished within
     * [{@code since}, {@code until}) (epoch milliseconds, null for open).
     */
    public List<DeadRow> deadLetters(String contact, Long since, Long until, int max) {
        StringBuilder sql = new StringBuilder("SELECT id, contact, reason, finished_at FROM gw_message WHERE status = 'DEAD'");
        List<Object> args = new ArrayList<>();
        if (contact != null) {
            sql.append(" AND contact = ?");
            args.add(contact);
        }
        if (since != null) {
            sql.append(" AND finished_at >= ?");
            args.add(since);
        }
        if (until != null) {
            sql.append(" AND finished_at < ?");
            args.add(until);
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(max);
        List<DeadRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new DeadRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read dead letters", e);
        }
        return rows;
    }
}
