package com.buttonsgateway.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.buttonsgateway.store.CircuitStore;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.NewMessage;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's circuit (SPEC 7) without Camel: on an H2 store, with a clock the test moves. Failures in a
 * row open it and are given back, an answer ends the row, probes come one at a time at doubling intervals up to five
 * minutes, and its state is the store's, shared by two instances and kept across a restart.
 */
class ProviderCircuitTest {

    private static final String ACCOUNT = "972771234567";
    private static final long LEASE = 60_000;

    private final TestClock clock = new TestClock();
    /** Each message to a contact of its own: none waits behind another (SPEC 5's order is not what is tested here). */
    private final AtomicLong contacts = new AtomicLong();
    private JdbcDataSource h2;
    private final List<MessageStore> stores = new ArrayList<>();
    private MessageStore store;

    @BeforeEach
    void store() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:circuit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        store = newStore();
    }

    @AfterEach
    void close() {
        stores.forEach(MessageStore::close);
    }

    private MessageStore newStore() {
        MessageStore s = new MessageStore(h2, clock);
        stores.add(s);
        return s;
    }

    /** An instance's circuit on its own store object (its own writer), on the one database. */
    private ProviderCircuit circuit(MessageStore on, int failures) {
        return new ProviderCircuit(new CircuitStore(h2), on, new ProviderCircuit.Settings(failures, 5_000,
                ProviderCircuit.Settings.FIVE_MINUTES, LEASE, 0));
    }

    private void queue(int count) {
        List<NewMessage> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long n = contacts.incrementAndGet();
            items.add(new NewMessage("m-" + n, "test", ACCOUNT, "97250100" + (1000 + n), "{}"));
        }
        store.insert(items);
    }

    /** What the dispatcher writes for a retryable failure: counted with a backoff, or (outage) not counted and due now. */
    private void fail(ProviderCircuit circuit, StoredMessage m) {
        boolean outage = circuit.failed(m.seq(), m.claimToken(), "HTTP 503: down");
        Transition t = outage ? Transition.of(Status.SENDING, Status.QUEUED).nextAttemptAt(store.now()).reason("outage")
                : Transition.of(Status.SENDING, Status.QUEUED).attempted().nextAttemptAt(store.now() + 1_000).reason("HTTP 503");
        var written = store.applyLater(m, t, null);
        // as the send route's record step does: the counted failure is with the writer, a give-back may follow it
        circuit.written(m.seq());
        assertThat(written.join()).isNotNull();
    }

    private StoredMessage reread(StoredMessage m) {
        // the give-back runs on the store writer: whatever was handed to it before is written once this is
        store.write(c -> null).join();
        return store.find(m.id()).orElseThrow();
    }

    @Test
    void opensAfterTheFailuresInARowGivesTheirAttemptsBackAndClaimsNothingMore() {
        ProviderCircuit circuit = circuit(store, 3);
        queue(5);
        List<StoredMessage> claimed = store.claim(3, "a", LEASE);
        assertThat(claimed).hasSize(3);

        assertThat(circuit.failed(claimed.get(0).seq(), claimed.get(0).claimToken(), "HTTP 503")).as("first of the row").isFalse();
        store.applyLater(claimed.get(0), Transition.of(Status.SENDING, Status.QUEUED).attempted().nextAttemptAt(store.now() + 60_000), null).join();
        circuit.written(claimed.get(0).seq());
        assertThat(circuit.failed(claimed.get(1).seq(), claimed.get(1).claimToken(), "timeout")).isFalse();
        store.applyLater(claimed.get(1), Transition.of(Status.SENDING, Status.QUEUED).attempted().nextAttemptAt(store.now() + 60_000), null).join();
        circuit.written(claimed.get(1).seq());
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.failuresInARow()).isEqualTo(2);
        assertThat(reread(claimed.get(0)).attempts()).isEqualTo(1);

        assertThat(circuit.failed(claimed.get(2).seq(), claimed.get(2).claimToken(), "HTTP 503: Service Unavailable"))
                .as("the third opens it and is not counted").isTrue();
        assertThat(circuit.isOpen()).isTrue();
        assertThat(circuit.permit()).isEqualTo(ProviderCircuit.Permit.WAIT);
        ProviderCircuit.State state = circuit.state();
        assertThat(state.lastError()).isEqualTo("HTTP 503: Service Unavailable");
        assertThat(state.since()).isEqualTo(clock.instant());
        assertThat(state.nextProbeAt()).isEqualTo(clock.instant().plusSeconds(5));
        // the failures that opened it are not the messages' fault: attempts back, due now (the circuit decides when)
        for (StoredMessage m : claimed.subList(0, 2)) {
            StoredMessage now = reread(m);
            assertThat(now.attempts()).as(m.id()).isZero();
        }
        assertThat(store.claim(10, "a", LEASE)).as("the claim query refuses while the circuit is open").isEmpty();
        assertThat(circuit.admits(claimed.get(2).claimToken())).as("a call claimed before it opened is held back").isFalse();
        assertThat(circuit.failed(claimed.get(2).seq(), "another-token", "HTTP 502")).as("failures while open do not count").isTrue();
        assertThat(circuit.state().lastError()).isEqualTo("HTTP 502");
    }

    @Test
    void anAnswerThatIsNotARetryableFailureEndsTheRow() {
        ProviderCircuit circuit = circuit(store, 3);
        assertThat(circuit.failed(1, "t1", "HTTP 503")).isFalse();
        assertThat(circuit.failed(2, "t2", "HTTP 503")).isFalse();
        assertThat(circuit.answered("t3")).as("an OK").isFalse();
        assertThat(circuit.failuresInARow()).isZero();
        assertThat(circuit.failed(4, "t4", "HTTP 503")).isFalse();
        assertThat(circuit.failed(5, "t5", "HTTP 503")).isFalse();
        // a final refusal (reason 5, HTTP 400...) is the provider answering: not an outage's failure, and the row ends
        assertThat(circuit.answered("t6")).isFalse();
        assertThat(circuit.failed(7, "t7", "HTTP 503")).isFalse();
        assertThat(circuit.failed(8, "t8", "HTTP 503")).isFalse();
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.failed(9, "t9", "HTTP 503")).as("three in a row at last").isTrue();
        assertThat(circuit.isOpen()).isTrue();
    }

    @Test
    void zeroFailuresSwitchesItOff() {
        ProviderCircuit circuit = circuit(store, 0);
        for (int i = 0; i < 50; i++) {
            assertThat(circuit.failed(i, "t" + i, "HTTP 503")).isFalse();
        }
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.permit()).isEqualTo(ProviderCircuit.Permit.CLAIM);
    }

    @Test
    void probesGoOneAtATimeAtIntervalsDoublingUpToFiveMinutes() {
        ProviderCircuit circuit = circuit(store, 1);
        queue(1);
        StoredMessage first = store.claim(1, "a", LEASE).get(0);
        fail(circuit, first);
        assertThat(circuit.isOpen()).isTrue();

        List<Long> intervals = new ArrayList<>();
        long expected = 5_000;
        for (int probe = 0; probe < 9; probe++) {
            clock.advance(Duration.ofMillis(expected - 1));
            assertThat(circuit.permit()).as("probe %d: not before its time", probe).isEqualTo(ProviderCircuit.Permit.WAIT);
            assertThat(circuit.claimProbe("a")).isEmpty();
            clock.advance(Duration.ofMillis(1));
            assertThat(circuit.permit()).isEqualTo(ProviderCircuit.Permit.PROBE);
            List<StoredMessage> taken = circuit.claimProbe("a");
            assertThat(taken).as("probe %d", probe).hasSize(1);
            StoredMessage m = taken.get(0);
            assertThat(circuit.state().probing()).isTrue();
            assertThat(circuit.admits(m.claimToken())).as("the probe's call goes out").isTrue();
            assertThat(circuit.permit()).as("one probe at a time").isEqualTo(ProviderCircuit.Permit.WAIT);
            assertThat(circuit.claimProbe("a")).isEmpty();
            fail(circuit, m);
            assertThat(circuit.isOpen()).isTrue();
            intervals.add(circuit.state().probeInterval().toMillis());
            expected = Math.min(expected * 2, 300_000);
        }
        assertThat(intervals).containsExactly(10_000L, 20_000L, 40_000L, 80_000L, 160_000L, 300_000L, 300_000L, 300_000L, 300_000L);
        // a failed probe is not counted either: the message has spent none of its attempts
        assertThat(reread(first).attempts()).isZero();
    }

    @Test
    void theProbesFirstAnswerClosesTheCircuitAndClaimsGoOn() {
        ProviderCircuit circuit = circuit(store, 1);
        queue(3);
        fail(circuit, store.claim(1, "a", LEASE).get(0));
        clock.advance(Duration.ofSeconds(5));
        StoredMessage probe = circuit.claimProbe("a").get(0);
        assertThat(circuit.answered(probe.claimToken())).as("closed by the probe's OK").isTrue();
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.state().since()).isNull();
        assertThat(circuit.permit()).isEqualTo(ProviderCircuit.Permit.CLAIM);
        assertThat(store.claim(10, "a", LEASE)).as("the rest of the backlog").hasSize(2);
        assertThat(circuit.answered("any")).as("closed already").isFalse();
    }

    @Test
    void aProbeThatMadeNoCallFreesItsSlotForTheNext() {
        ProviderCircuit circuit = circuit(store, 1);
        queue(2);
        fail(circuit, store.claim(1, "a", LEASE).get(0));
        clock.advance(Duration.ofSeconds(5));
        StoredMessage probe = circuit.claimProbe("a").get(0);
        assertThat(circuit.permit()).isEqualTo(ProviderCircuit.Permit.WAIT);
        // held by the window policy, say: no call, so no answer to wait for
        store.apply(probe, Transition.of(Status.SENDING, Status.HELD).reason("held"));
        circuit.probeEnded(probe.claimToken());
        assertThat(circuit.permit()).as("still due").isEqualTo(ProviderCircuit.Permit.PROBE);
        assertThat(circuit.claimProbe("a")).hasSize(1);
    }

    @Test
    void aProbeLeavesOutTheMessageTheLastProbeSentWhileAnotherIsDue() {
        ProviderCircuit circuit = circuit(store, 1);
        queue(1);
        StoredMessage lone = store.claim(1, "a", LEASE).get(0);
        fail(circuit, lone);
        clock.advance(Duration.ofSeconds(5));
        StoredMessage probe = circuit.claimProbe("a").get(0);
        assertThat(probe.id()).isEqualTo(lone.id());
        fail(circuit, probe);
        clock.advance(Duration.ofSeconds(10));
        StoredMessage again = circuit.claimProbe("a").get(0);
        assertThat(again.id()).as("the only one due: probed again").isEqualTo(lone.id());
        fail(circuit, again);

        queue(1);
        clock.advance(Duration.ofSeconds(20));
        StoredMessage other = circuit.claimProbe("a").get(0);
        assertThat(other.id()).as("a message failing by itself does not keep the others out").isNotEqualTo(lone.id());
    }

    @Test
    void twoInstancesShareTheCircuitAndOneProbeRunsAtATime() {
        MessageStore otherStore = newStore();
        ProviderCircuit a = circuit(store, 2);
        ProviderCircuit b = circuit(otherStore, 2);
        queue(4);
        List<StoredMessage> claimed = store.claim(2, "a", LEASE);
        fail(a, claimed.get(0));
        fail(a, claimed.get(1));
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).as("one instance seeing the outage stops the other").isTrue();
        assertThat(b.permit()).isEqualTo(ProviderCircuit.Permit.WAIT);
        assertThat(otherStore.claim(10, "b", LEASE)).isEmpty();
        assertThat(b.failed(99, "b-token", "HTTP 500")).as("b's failures while open are not counted").isTrue();

        clock.advance(Duration.ofSeconds(5));
        assertThat(a.permit()).isEqualTo(ProviderCircuit.Permit.PROBE);
        assertThat(b.permit()).isEqualTo(ProviderCircuit.Permit.PROBE);
        List<StoredMessage> byB = b.claimProbe("b");
        assertThat(byB).hasSize(1);
        assertThat(a.claimProbe("a")).as("b holds the probe").isEmpty();
        assertThat(a.permit()).isEqualTo(ProviderCircuit.Permit.WAIT);
        assertThat(a.admits(byB.get(0).claimToken())).as("a does not send b's probe").isFalse();

        // b dies with its probe in flight: after the probe's lease the slot is free again
        clock.advance(Duration.ofMillis(LEASE + 1));
        List<StoredMessage> byA = a.claimProbe("a");
        assertThat(byA).hasSize(1);
        assertThat(a.answered(byA.get(0).claimToken())).isTrue();
        assertThat(b.isOpen()).isFalse();
        assertThat(b.permit()).isEqualTo(ProviderCircuit.Permit.CLAIM);
    }

    @Test
    void theOpenStateOutlivesARestart() {
        ProviderCircuit before = circuit(store, 1);
        queue(1);
        fail(before, store.claim(1, "a", LEASE).get(0));
        clock.advance(Duration.ofSeconds(5));
        assertThat(before.claimProbe("a")).hasSize(1);

        ProviderCircuit after = circuit(newStore(), 1);
        after.releaseStaleProbe();
        assertThat(after.isOpen()).isTrue();
        assertThat(after.state().lastError()).isEqualTo("HTTP 503: down");
        assertThat(after.state().probing()).as("the probe of the run before is over").isFalse();
    }

    @Test
    void outagesAreWordedForTheLog() {
        assertThat(ProviderCircuit.words(7_400)).isEqualTo("7 s");
        assertThat(ProviderCircuit.words(125_000)).isEqualTo("2 min 5 s");
        assertThat(ProviderCircuit.words(3_780_000)).isEqualTo("1 h 3 min");
        assertThat(ProviderCircuit.words(300)).isEqualTo("300 ms");
    }

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
