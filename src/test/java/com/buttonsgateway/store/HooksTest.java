package com.buttonsgateway.store;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import com.buttonsgateway.sandbox.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored webhook deliveries: recorded once, claimed for their hand-over, retention, delivery status (SPEC 6, 9), without Camel. */
class HooksTest {

    private static final String ACCOUNT = "972771234567";
    private static final String CONTACT = "972501112233";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private DataSource h2;
    private Hooks hooks;
    private MessageStore store;

    @BeforeEach
    void store() {
        h2 = TestH2.migrated("hooks");
        hooks = new Hooks(h2, clock);
        store = new MessageStore(h2, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private boolean record(String key) {
        return hooks.record(key, "new", "text", ACCOUNT, CONTACT, "{\"unique\":\"" + key + "\"}");
    }

    @Test
    void aDeliveryIsRecordedOnceAndDueForItsHandOverAtOnce() {
        assertThat(record("H1")).isTrue();
        assertThat(record("H1")).as("a redelivery").isFalse();
        assertThat(hooks.waiting()).isEqualTo(1);
        Hooks.Row row = hooks.list(false, 10).get(0);
        assertThat(row).isEqualTo(new Hooks.Row("H1", "new", "text", ACCOUNT, CONTACT, clock.millis(), 0, clock.millis(), null, null));
        assertThat(hooks.claimNext(1_000)).hasValueSatisfying(h -> {
            assertThat(h.key()).isEqualTo("H1");
            assertThat(h.payload()).isEqualTo("{\"unique\":\"H1\"}");
            assertThat(h.attempt()).isEqualTo(1);
        });
    }

    @Test
    void inTheWebhooksTransactionARollbackLeavesNothing() throws Exception {
        try (Connection c = h2.getConnection()) {
            c.setAutoCommit(false);
            assertThat(hooks.record(c, "T1", "new", "text", ACCOUNT, CONTACT, "{}")).isTrue();
            assertThat(hooks.record(c, "T1", "new", "text", ACCOUNT, CONTACT, "{}")).isFalse();
            c.rollback();
        }
        assertThat(hooks.list(false, 10)).isEmpty();
        assertThat(record("T1")).isTrue();
    }

    @Test
    void aClaimIsFencedByItsTryNumberAndAFailedTryIsDueAtItsTime() {
        record("H1");
        Hooks.Claimed first = hooks.claimNext(1_000).orElseThrow();
        assertThat(hooks.claimNext(1_000)).as("claimed: not due until its lease ran out").isEmpty();
        assertThat(hooks.failed("H1", first.attempt(), clock.millis() + 5_000, "x".repeat(3_000))).isTrue();
        assertThat(hooks.list(true, 10).get(0).lastError()).hasSize(2_000);

        clock.advance(Duration.ofSeconds(5));
        Hooks.Claimed second = hooks.claimNext(1_000).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(hooks.handedOver("H1", first.attempt())).as("the first try's claim is over").isFalse();
        assertThat(hooks.failed("H1", first.attempt(), 0, "late")).isFalse();
        assertThat(hooks.handedOver("H1", second.attempt())).isTrue();
        assertThat(hooks.waiting()).isZero();
        assertThat(hooks.list(false, 10).get(0).lastError()).isNull();
    }

    @Test
    void atStartEveryWaitingDeliveryIsDueNow() {
        record("H1");
        record("H2");
        hooks.claimNext(60_000).orElseThrow();
        Hooks.Claimed other = hooks.claimNext(60_000).orElseThrow();
        hooks.failed(other.key(), other.attempt(), clock.millis() + 60_000, "down");
        assertThat(hooks.claimNext(60_000)).isEmpty();
        assertThat(hooks.dueNow()).isEqualTo(2);
        assertThat(hooks.claimNext(60_000)).isPresent();
        assertThat(hooks.claimNext(60_000)).isPresent();
    }

    @Test
    void retentionTakesOnlyOldDeliveriesHandedOverAlready() {
        record("OLD-DONE");
        Hooks.Claimed done = hooks.claimNext(1_000).orElseThrow();
        hooks.handedOver(done.key(), done.attempt());
        record("OLD-OWED");
        Hooks.Claimed owed = hooks.claimNext(1_000).orElseThrow();
        hooks.failed(owed.key(), owed.attempt(), clock.millis() + Duration.ofDays(100).toMillis(), "user route down");
        clock.advance(Duration.ofDays(31));
        record("NEW-DONE");
        Hooks.Claimed fresh = hooks.claimNext(1_000).orElseThrow();
        hooks.handedOver(fresh.key(), fresh.attempt());

        long before = clock.millis() - Duration.ofDays(30).toMillis();
        assertThat(hooks.receivedBefore(before, 10)).containsExactly(done.key());
        assertThat(hooks.delete(List.of(done.key(), "OLD-OWED"))).as("never one still owed to its route").isEqualTo(1);
        assertThat(hooks.list(false, 10)).extracting(Hooks.Row::key).containsExactlyInAnyOrder("OLD-OWED", "NEW-DONE");
        assertThat(hooks.delete(List.of())).isZero();
    }

    @Test
    void aStatusNamesTheSentMessageByItsProviderUniqueAndChangesItOnlyIfNobodyElseDid() throws Exception {
        store.insert(List.of(new NewMessage("m-1", "test", ACCOUNT, CONTACT, "{}")));
        store.apply(store.claim(1, "test", 60_000).get(0),
                Transition.of(Status.SENDING, Status.SENT).route("buttons").attempted().provider("PU-" + "u".repeat(300), "{}"));
        try (Connection c = h2.getConnection()) {
            assertThat(hooks.named(c, "PU-" + "u".repeat(300))).contains(new Hooks.Named("m-1", null));
            assertThat(hooks.named(c, "PU-other")).isEmpty();
            assertThat(hooks.deliveryStatus(c, "m-1", null, "delivered")).isTrue();
            assertThat(hooks.deliveryStatus(c, "m-1", null, "read")).as("another hook changed it meanwhile").isFalse();
            assertThat(hooks.deliveryStatus(c, "m-1", "delivered", "read")).isTrue();
        }
        assertThat(store.find("m-1").orElseThrow().deliveryStatus()).isEqualTo("read");
    }
}
