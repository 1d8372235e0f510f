package com.buttonsgateway.window;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

import com.buttonsgateway.request.LogText;
import com.buttonsgateway.store.Sql;
import com.buttonsgateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service window and the billing conversation of each (account, contact), kept in the store
 * (SPEC 5). A contact the store knows nothing about is closed.
 */
public final class ContactWindows {

    private static final Logger LOG = LoggerFactory.getLogger(ContactWindows.class);
    private static final Duration CONVERSATION = Duration.ofHours(24);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration windowLength;

    public ContactWindows(DataSource dataSource, Clock clock, Duration windowLength) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.windowLength = windowLength;
    }

    /** The window's state as the API shows it. */
    public record View(String account, String contact, String fromId, Instant lastInboundAt, Instant windowEndsAt,
                       boolean open, Instant conversationEndsAt) {
    }

    public boolean isOpen(String account, String contact) {
        return view(account, contact).map(View::open).orElse(false);
    }

    public Optional<View> view(String account, String contact) {
        String sql = "SELECT account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at "
                + "FROM gw_contact WHERE account = ? AND contact = ?";
        List<View> views = views(sql, account, contact);
        return views.stream().findFirst();
    }

    /** Every account's window for one contact (the API asks by contact number only). */
    public List<View> views(String contact) {
        return views("SELECT account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at "
                + "FROM gw_contact WHERE contact = ? OR from_id = ? ORDER BY account", contact, contact);
    }

    /**
     * A contact wrote in at {@code at}: the window runs {@code gateway.window.hours} from there. A time in the
     * future counts as now; an older message never moves the window back (SPEC 6).
     */
    public void inbound(String account, String contact, String fromId, Instant at, Long conversationMinutesLeft) {
        try (Connection c = dataSource.getConnection()) {
            inbound(c, account, contact, fromId, at, conversationMinutesLeft);
        } catch (SQLException e) {
            throw new StoreException("could not update contact windows", e);
        }
    }

    /** The same, inside the caller's transaction (the webhook stores the hook and moves the window at once, SPEC 6). */
    public void inbound(Connection c, String account, String contact, String fromId, Instant at, Long conversationMinutesLeft)
            throws SQLException {
        long now = clock.millis();
        long when = Math.min(at == null ? now : at.toEpochMilli(), now);
        long windowEnd = when + windowLength.toMillis();
        Long conversationEnd = conversationMinutesLeft == null ? null : now + conversationMinutesLeft * 60_000L;
        Object[] update = {fromId, when, when, windowEnd, windowEnd, conversationEnd, account, contact};
        String updateSql = "UPDATE gw_contact SET from_id = COALESCE(?, from_id), "
                + "last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < ? THEN ? ELSE last_inbound_at END, "
                + "window_ends_at = CASE WHEN window_ends_at IS NULL OR window_ends_at < ? THEN ? ELSE window_ends_at END, "
                + "conversation_ends_at = COALESCE(?, conversation_ends_at) WHERE account = ? AND contact = ?";
        if (execute(c, updateSql, update) == 0) {
            // a contact's first message: inserted; a concurrent first insert makes this fail and the caller retry
            execute(c, "INSERT INTO gw_contact (account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", account, contact, fromId, when, windowEnd, conversationEnd);
        }
        // contact and account come from a webhook: untrusted text
        LOG.debug("contact={} account={} window open until {}", LogText.safe(contact), LogText.safe(account), Instant.ofEpochMilli(windowEnd));
    }

    /** The provider said the window is closed (reason 7/8). */
    public void close(String account, String contact) {
        long now = clock.millis();
        upsert(account, contact, "UPDATE gw_contact SET window_ends_at = ? WHERE account = ? AND contact = ?",
                new Object[] {now, account, contact}, new Object[] {account, contact, null, null, now, null});
        LOG.info("contact={} account={} window closed by the provider", contact, account);
    }

    /** As {@link #templateTimeLeft(String, String, long)} in the caller's transaction. */
    public void templateTimeLeft(Connection c, String account, String contact, long minutes) throws SQLException {
        long end = clock.millis() + minutes * 60_000L;
        upsert(c, account, contact, "UPDATE gw_contact SET window_ends_at = ? WHERE account = ? AND contact = ?",
                new Object[] {end, account, contact}, new Object[] {account, contact, null, null, end, null});
    }

    /** As {@link #sent(String, String, View)} in the caller's transaction. */
    public void sent(Connection c, String account, String contact, View known) throws SQLException {
        long now = clock.millis();
        Instant conversationEnd = known == null ? null : known.conversationEndsAt();
        if (conversationEnd != null && conversationEnd.toEpochMilli() > now) {
            return;
        }
        long end = now + CONVERSATION.toMillis();
        upsert(c, account, contact, "UPDATE gw_contact SET conversation_ends_at = ? WHERE account = ? AND contact = ?",
                new Object[] {end, account, contact}, new Object[] {account, contact, null, null, null, end});
        execute(c, "INSERT INTO gw_conversation (account, contact, started_at, ends_at) VALUES (?, ?, ?, ?)", account, contact, now, end);
    }

    private static void upsert(Connection c, String account, String contact, String updateSql, Object[] updateArgs, Object[] insertArgs)
            throws SQLException {
        if (execute(c, updateSql, updateArgs) == 0) {
            execute(c, "INSERT INTO gw_contact (account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", insertArgs);
        }
    }

    /** {@code templateTimeLeft} from a provider answer: minutes left of the window. */
    public void templateTimeLeft(String account, String contact, long minutes) {
        long end = clock.millis() + minutes * 60_000L;
        upsert(account, contact, "UPDATE gw_contact SET window_ends_at = ? WHERE account = ? AND contact = ?",
                new Object[] {end, account, contact}, new Object[] {account, contact, null, null, end, null});
    }

    /** A message went out: starts a billing conversation when none is open (SPEC 5, Billing). */
    public void sent(String account, String contact) {
        sent(account, contact, view(account, contact).orElse(null));
    }

    /** As {@link #sent(String, String)} with the contact's state as read before the call (saves a query per message). */
    public void sent(String account, String contact, View known) {
        long now = clock.millis();
        Instant conversationEnd = known == null ? null : known.conversationEndsAt();
        if (conversationEnd != null && conversationEnd.toEpochMilli() > now) {
            return;
        }
        long end = now + CONVERSATION.toMillis();
        upsert(account, contact, "UPDATE gw_contact SET conversation_ends_at = ? WHERE account = ? AND contact = ?",
                new Object[] {end, account, contact}, new Object[] {account, contact, null, null, null, end});
        execute("INSERT INTO gw_conversation (account, contact, started_at, ends_at) VALUES (?, ?, ?, ?)", account, contact, now, end);
    }

    /** The contact number behind a provider user id ({@code from_id}), when an inbound message told it. */
    public Optional<String> contactOf(String fromId) {
        return views("SELECT account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at "
                + "FROM gw_contact WHERE from_id = ?", fromId).stream().map(View::contact).findFirst();
    }

    /** Conversations started per UTC day over the last {@code days} days, oldest first, days without any included. */
    public Map<LocalDate, Long> dailyConversations(String account, int days) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        Map<LocalDate, Long> counts = new TreeMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            counts.put(d, 0L);
        }
        long since = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT started_at FROM gw_conversation WHERE account = ? AND started_at >= ?")) {
            ps.setString(1, account);
            ps.setLong(2, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.merge(LocalDate.ofInstant(Instant.ofEpochMilli(rs.getLong(1)), ZoneOffset.UTC), 1L, Long::sum);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not count conversations", e);
        }
        return counts;
    }

    private List<View> views(String sql, Object... args) {
        long now = clock.millis();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            List<View> views = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant last = instant(rs, "last_inbound_at");
                    Instant end = instant(rs, "window_ends_at");
                    views.add(new View(rs.getString("account"), rs.getString("contact"), rs.getString("from_id"), last, end,
                            end != null && end.toEpochMilli() > now, instant(rs, "conversation_ends_at")));
                }
            }
            return views;
        } catch (SQLException e) {
            throw new StoreException("could not read contact windows", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    /** UPDATE, else INSERT (account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at); portable. */
    private void upsert(String account, String contact, String updateSql, Object[] updateArgs, Object[] insertArgs) {
        if (execute(updateSql, updateArgs) > 0) {
            return;
        }
        try {
            execute("INSERT INTO gw_contact (account, contact, from_id, last_inbound_at, window_ends_at, conversation_ends_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", insertArgs);
        } catch (StoreException e) {
            // inserted meanwhile by another thread or instance: the update now finds the row
            execute(updateSql, updateArgs);
        }
    }

    private int execute(String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return execute(c, sql, args);
        } catch (SQLException e) {
            throw new StoreException("could not update contact windows", e);
        }
    }

    private static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            return ps.executeUpdate();
        }
    }
}
