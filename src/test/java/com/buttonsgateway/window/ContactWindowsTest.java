package com.buttonsgateway.window;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import javax.sql.DataSource;

import com.buttonsgateway.sandbox.MutableClock;
import com.buttonsgateway.store.TestH2;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The customer-service window and the billing conversation of each (account, contact) (SPEC 5, 6), without Camel. */
class ContactWindowsTest {

    private static final String ACCOUNT = "972771234567";
    private static final String CONTACT = "972501112233";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private DataSource h2;
    private ContactWindows windows;

    @BeforeEach
    void store() {
        h2 = TestH2.migrated("windows");
        windows = new ContactWindows(h2, clock, Duration.ofHours(24));
    }

    @Test
    void aContactTheStoreDoesNotKnowIsClosed() {
        assertThat(windows.isOpen(ACCOUNT, CONTACT)).isFalse();
        assertThat(windows.view(ACCOUNT, CONTACT)).isEmpty();
    }

    @Test
    void theWindowRunsTheConfiguredHoursFromTheContactsLastMessage() {
        Instant wrote = START.minus(Duration.ofHours(1));
        windows.inbound(ACCOUNT, CONTACT, null, wrote, null);
        ContactWindows.View view = windows.view(ACCOUNT, CONTACT).orElseThrow();
        assertThat(view.open()).isTrue();
        assertThat(view.lastInboundAt()).isEqualTo(wrote);
        assertThat(view.windowEndsAt()).isEqualTo(wrote.plus(Duration.ofHours(24)));

        clock.advance(Duration.ofHours(23).minusMillis(1));
        assertThat(windows.isOpen(ACCOUNT, CONTACT)).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(windows.isOpen(ACCOUNT, CONTACT)).as("closed once gateway.window.hours have passed").isFalse();
        assertThat(windows.isOpen("972770000000", CONTACT)).as("per account").isFalse();
    }

    @Test
    void anOlderMessageNeverMovesTheWindowBackAndAFutureOneCountsAsNow() {
        windows.inbound(ACCOUNT, CONTACT, null, START, null);
        windows.inbound(ACCOUNT, CONTACT, null, START.minus(Duration.ofHours(5)), null);
        assertThat(windows.view(ACCOUNT, CONTACT).orElseThrow().lastInboundAt()).isEqualTo(START);

        windows.inbound(ACCOUNT, CONTACT, null, START.plus(Duration.ofDays(3)), null);
        assertThat(windows.view(ACCOUNT, CONTACT).orElseThrow().windowEndsAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        windows.inbound(ACCOUNT, CONTACT, null, null, null);
        assertThat(windows.view(ACCOUNT, CONTACT).orElseThrow().lastInboundAt()).as("no time: the time of arrival").isEqualTo(START);
    }

    @Test
    void theProviderClosesTheWindowAndItsTemplateTimeLeftMovesIt() {
        windows.inbound(ACCOUNT, CONTACT, null, START, null);
        windows.close(ACCOUNT, CONTACT);
        assertThat(windows.isOpen(ACCOUNT, CONTACT)).isFalse();
        // a contact the gateway never heard from gets a row too (reason 8, first contact)
        windows.close(ACCOUNT, "972509999999");
        assertThat(windows.view(ACCOUNT, "972509999999")).hasValueSatisfying(v -> assertThat(v.open()).isFalse());

        windows.templateTimeLeft(ACCOUNT, CONTACT, 90);
        ContactWindows.View view = windows.view(ACCOUNT, CONTACT).orElseThrow();
        assertThat(view.open()).isTrue();
        assertThat(view.windowEndsAt()).isEqualTo(START.plus(Duration.ofMinutes(90)));
        assertThat(view.lastInboundAt()).as("the contact's last message stays as it was").isEqualTo(START);
    }

    @Test
    void aSendStartsABillingConversationOnlyWhenNoneIsOpen() {
        windows.sent(ACCOUNT, CONTACT);
        assertThat(windows.view(ACCOUNT, CONTACT).orElseThrow().conversationEndsAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        clock.advance(Duration.ofHours(2));
        windows.sent(ACCOUNT, CONTACT);
        assertThat(windows.dailyConversations(ACCOUNT, 1)).containsExactly(Map.entry(LocalDate.parse("2026-03-01"), 1L));

        clock.advance(Duration.ofHours(22));
        windows.sent(ACCOUNT, CONTACT, windows.view(ACCOUNT, CONTACT).orElse(null));
        Map<LocalDate, Long> daily = windows.dailyConversations(ACCOUNT, 3);
        assertThat(daily).containsExactly(Map.entry(LocalDate.parse("2026-02-28"), 0L), Map.entry(LocalDate.parse("2026-03-01"), 1L),
                Map.entry(LocalDate.parse("2026-03-02"), 1L));
        assertThat(windows.dailyConversations("972770000000", 1)).containsExactly(Map.entry(LocalDate.parse("2026-03-02"), 0L));
    }

    @Test
    void theHooksConversationTimeLeftSetsTheConversationNotTheWindow() {
        windows.inbound(ACCOUNT, CONTACT, null, START, 30L);
        ContactWindows.View view = windows.view(ACCOUNT, CONTACT).orElseThrow();
        assertThat(view.conversationEndsAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
        assertThat(view.windowEndsAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        // an open conversation: sending starts no new one
        windows.sent(ACCOUNT, CONTACT, view);
        assertThat(windows.dailyConversations(ACCOUNT, 1).values()).containsExactly(0L);
    }

    @Test
    void aProviderUserIdFindsItsContact() {
        windows.inbound(ACCOUNT, CONTACT, "IL.1605856887361213", START, null);
        windows.inbound("972770000000", CONTACT, null, START, null);
        assertThat(windows.contactOf("IL.1605856887361213")).contains(CONTACT);
        assertThat(windows.contactOf("IL.0")).isEmpty();
        assertThat(windows.views(CONTACT)).extracting(ContactWindows.View::account).containsExactly("972770000000", ACCOUNT);
        assertThat(windows.views("IL.1605856887361213")).extracting(ContactWindows.View::account).containsExactly(ACCOUNT);
        windows.inbound(ACCOUNT, CONTACT, null, START, null);
        assertThat(windows.view(ACCOUNT, CONTACT).orElseThrow().fromId()).as("kept when a later hook has none")
                .isEqualTo("IL.1605856887361213");
    }

    @Test
    void inTheCallersTransactionAWindowMoveIsUndoneWithIt() throws Exception {
        try (Connection c = h2.getConnection()) {
            c.setAutoCommit(false);
            windows.inbound(c, ACCOUNT, CONTACT, null, START, null);
            windows.templateTimeLeft(c, "972770000000", CONTACT, 60);
            windows.sent(c, "972770000000", CONTACT, null);
            c.rollback();
        }
        assertThat(windows.view(ACCOUNT, CONTACT)).isEmpty();
        assertThat(windows.view("972770000000", CONTACT)).isEmpty();
        assertThat(windows.dailyConversations("972770000000", 1).values()).containsExactly(0L);

        try (Connection c = h2.getConnection()) {
            c.setAutoCommit(false);
            windows.inbound(c, ACCOUNT, CONTACT, null, START, null);
            windows.sent(c, ACCOUNT, CONTACT, null);
            c.commit();
        }
        assertThat(windows.isOpen(ACCOUNT, CONTACT)).isTrue();
        assertThat(windows.dailyConversations(ACCOUNT, 1).values()).containsExactly(1L);
    }
}
