package com.buttonsgateway.store;

import java.time.Clock;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims are fenced (SPEC 7): an outcome is written only by the claim that made the call, a renewed lease is
 * not taken over, and a claim taken over can no longer be finished by its old owner.
 */
class ClaimFenceTest {

    private MessageStore store;

    @BeforeEach
    void store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:fence-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        store = new MessageStore(h2, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A negative lease: a claim whose lease has already run out, as a dead instance leaves it. */
    private StoredMessage claimed(String instance, long leaseMillis) {
        List<StoredMessage> claimed = store.claim(1, instance, leaseMillis);
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private Transition takeOver() {
        return Transition.of(Status.SENDING, Status.QUEUED).nextAttemptAt(store.now()).reason("in flight at a crash: sent again")
                .leaseExpiredBefore(store.now() + 1);
    }

    @Test
    void theOldOwnerOfAClaimTakenOverCannotFinishTheNewClaim() {
        store.insert(List.of(new NewMessage("f-1", "test", "972771234567", "972501234567", "{}")));
        StoredMessage first = claimed("a", -1_000);
        StoredMessage expired = store.inFlight(false, 500).get(0);
        assertThat(store.apply(expired, takeOver())).isTrue();
        StoredMessage second = claimed("b", 60_000);
        assertThat(second.claimToken()).isNotNull().isNotEqualTo(first.claimToken());

        // the first call's late answer is dropped: the row stays the second claim's
        assertThat(store.applyLater(first, Transition.of(Status.SENDING, Status.SENT).route("buttons").attempted(), null).join()).isNull();
        assertThat(store.find("f-1").orElseThrow().status()).isEqualTo(Status.SENDING);
        assertThat(store.find("f-1").orElseThrow().claimToken()).isEqualTo(second.claimToken());

        StoredMessage sent = store.applyLater(second, Transition.of(Status.SENDING, Status.SENT).route("buttons").attempted(), null).join();
        assertThat(sent).isNotNull();
        assertThat(store.find("f-1").orElseThrow().status()).isEqualTo(Status.SENT);
        assertThat(store.find("f-1").orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void aRenewedLeaseIsNotTakenOverAndOnlyTheClaimsNamedAreRenewed() {
        store.insert(List.of(new NewMessage("r-1", "test", "972771234567", "972501234501", "{}"),
                new NewMessage("r-2", "test", "972771234567", "972501234502", "{}")));
        List<StoredMessage> both = store.claim(2, "a", -1_000);
        assertThat(both).hasSize(2);
        StoredMessage kept = both.get(0);
        StoredMessage lost = both.get(1);

        assertThat(store.renew(List.of(kept.claimToken()), 60_000)).isEqualTo(1);

        assertThat(store.inFlight(false, 500)).extracting(StoredMessage::id).containsExactly(lost.id());
        // a take-over read before the renewal is not written after it
        assertThat(store.apply(kept, takeOver())).isFalse();
        assertThat(store.apply(lost, takeOver())).isTrue();
        assertThat(store.find(kept.id()).orElseThrow().status()).isEqualTo(Status.SENDING);
        assertThat(store.find(lost.id()).orElseThrow().status()).isEqualTo(Status.QUEUED);
        assertThat(store.renew(List.of(lost.claimToken()), 60_000)).as("a claim taken over is not renewed").isZero();
    }
}
