package com.buttonsgateway.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sandbox's own memory of each (account, contact), apart from the gateway's (SPEC 8: "keeps its own 24-hour window
 * per contact"): when the contact last wrote (the window), when the billing conversation ends, and which
 * {@code from_id} stands for which number, so either can be used as {@code to}. Thread-safe.
 */
final class SandboxWindows {

    /** The provider's customer-service window (send-buttons.txt: "within 24 hours"). */
    static final Duration WINDOW = Duration.ofHours(24);
    /** The provider's billing conversation: 24 hours from a business message when none is open. */
    static final Duration CONVERSATION = Duration.ofHours(24);

    private final ConcurrentMap<Pair, Instant> lastInbound = new ConcurrentHashMap<>();
    private final ConcurrentMap<Pair, Instant> conversationEnds = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> contactByUserId = new ConcurrentHashMap<>();

    /**
     * The contact wrote to the account at {@code now}: the window opens or moves on (never back). Answers the
     * contact's {@code from_id}, which from now on also names the contact as {@code to}.
     */
    String contactWrote(String account, String contact, Instant now) {
        String userId = ProviderFormats.userIdOf(contact);
        contactByUserId.put(userId, contact);
        lastInbound.merge(new Pair(account, contact), now, (old, fresh) -> fresh.isAfter(old) ? fresh : old);
        return userId;
    }

    /** The account sent the contact a message at {@code now}: a conversation starts unless one is open. */
    void businessWrote(String account, String to, Instant now) {
        conversationEnds.compute(new Pair(account, contactOf(to)),
                (k, end) -> end != null && now.isBefore(end) ? end : now.plus(CONVERSATION));
    }

    /** When the contact last wrote to the account ({@code to} may be its number or its {@code from_id}). */
    Optional<Instant> lastInbound(String account, String to) {
        if (account == null || to == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(lastInbound.get(new Pair(account, contactOf(to))));
    }

    /** The end of the open or last billing conversation, if one was ever started. */
    Optional<Instant> conversationEnd(String account, String to) {
        return Optional.ofNullable(conversationEnds.get(new Pair(account, contactOf(to))));
    }

    /** Whole minutes left, rounded up (so an open window never reads "0"); 0 when closed or unknown. */
    static long minutesLeft(Instant end, Instant now) {
        if (end == null || !now.isBefore(end)) {
            return 0;
        }
        long millis = Duration.between(now, end).toMillis();
        return Math.max(1, (millis + 59_999) / 60_000);
    }

    private String contactOf(String to) {
        return contactByUserId.getOrDefault(to, to);
    }

    private record Pair(String account, String contact) {
    }
}
