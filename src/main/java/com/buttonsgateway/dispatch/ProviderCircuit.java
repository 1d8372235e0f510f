package com.buttonsgateway.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.buttonsgateway.request.LogText;
import com.buttonsgateway.store.CircuitStore;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker on the provider (SPEC 7, "An outage is not the message's fault"). After
 * {@code gateway.provider.circuit.failures} retryable failures in a row (network, timeout, HTTP 5xx and 429, reason 6)
 * it opens: claims take nothing, calls already claimed are not made, and the failures that opened it are given back to
 * their messages. One probe, the oldest due message's own call, goes out after {@code gateway.provider.circuit.probe-seconds},
 * then at doubling intervals up to five minutes; the first answer that is not a retryable failure closes it.
 *
 * <p>The open state lives in the store ({@link CircuitStore}): it outlives a restart, and every instance on a shared
 * store stops when one opens it, with one probe at a time between them. The count of failures in a row is each
 * instance's own (in memory): sharing it would put a write of one hot row into every call's outcome, and during an
 * outage every instance sees failures only, so each reaches the count about as fast.
 */
public final class ProviderCircuit {

    /** What the claim loop may do now. */
    public enum Permit {
        /** Closed: claim as usual. */
        CLAIM,
        /** Open and a probe is due: claim one message as the probe ({@link #claimProbe}). */
        PROBE,
        /** Open: claim nothing. */
        WAIT
    }

    /**
     * What the circuit reads from configuration.
     *
     * @param failures     retryable failures in a row that open it ({@code gateway.provider.circuit.failures}); 0 never opens
     * @param probeMillis  the first probe's interval ({@code gateway.provider.circuit.probe-seconds})
     * @param maxProbeMillis the interval stops doubling here (five minutes)
     * @param leaseMillis  a probe's slot is kept this long unless renewed (its instance may have died)
     * @param cacheMillis  how long the state read from the store is trusted on the hot path
     */
    public record Settings(int failures, long probeMillis, long maxProbeMillis, long leaseMillis, long cacheMillis) {
        public static final long FIVE_MINUTES = 300_000;
    }

    /** The circuit as the health check, the console and the metrics show it. */
    public record State(boolean open, Instant since, String lastError, Instant lastErrorAt, Instant nextProbeAt, Duration probeInterval,
                        boolean probing) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCircuit.class);

    private final CircuitStore table;
    private final MessageStore store;
    private final Settings settings;
    /** Retryable failures in a row seen by this instance, and their messages (seq), the ones to give back on opening. */
    private final AtomicInteger row = new AtomicInteger();
    private final ArrayDeque<Long> rowSeqs = new ArrayDeque<>();
    private final Object lock = new Object();
    /**
     * Failures counted against their message whose transition is not handed to the store writer yet: the send route
     * weighs a failure here, then takes a step or two before its record step hands the transition over. A give-back
     * waits until the transitions that counted its failures are handed over, so the writer applies it after them.
     */
    private final java.util.Set<Long> unwritten = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Failures to give back once none of them is in {@code unwritten}; guarded by {@code lock}. */
    private final List<Long> giveBackDue = new ArrayList<>();
    private long giveBackAt;
    /** The claim token of the probe this instance has in flight, or null. */
    private volatile String ownProbe;
    private volatile Cached cached;

    private record Cached(CircuitStore.Row row, long readAtNanos) {
    }

    public ProviderCircuit(CircuitStore table, MessageStore store, Settings settings) {
        if (settings.probeMillis() < 1) {
            throw new IllegalArgumentException("configuration key gateway.provider.circuit.probe-seconds must be at least 1");
        }
        if (settings.failures() < 0) {
            throw new IllegalArgumentException("configuration key gateway.provider.circuit.failures must be 0 (off) or more");
        }
        this.table = table;
        this.store = store;
        this.settings = settings;
    }

    // --- the claim loop --------------------------------------------------------------------------

    /** Claim as usual, claim the probe, or wait. Reads the store at most every {@code cacheMillis}. */
    public Permit permit() {
        CircuitStore.Row r = row(false);
        if (!r.open()) {
            return Permit.CLAIM;
        }
        long now = store.now();
        boolean slotFree = r.probeToken() == null || (r.probeUntil() != null && r.probeUntil() < now);
        return r.nextProbeAt() != null && r.nextProbeAt() <= now && slotFree ? Permit.PROBE : Permit.WAIT;
    }

    /** Milliseconds until the next probe is due (0 when due or closed): how long the claim loop may rest. */
    public long untilNextProbe() {
        CircuitStore.Row r = row(false);
        return r.open() && r.nextProbeAt() != null ? Math.max(0, r.nextProbeAt() - store.now()) : 0;
    }

    /** Claims the probe: at most one message, and none when another instance holds the probe or nothing is due. */
    public List<StoredMessage> claimProbe(String instance) {
        List<StoredMessage> probe = store.claimProbe(instance, settings.leaseMillis(), table);
        if (!probe.isEmpty()) {
            ownProbe = probe.get(0).claimToken();
        }
        row(true);
        return probe;
    }

    /**
     * Whether a claimed message's call may go out now (checked when its call slot is free, just before the POST): always
     * while closed; while open only the probe's. A refused one goes back to the queue, not counted.
     */
    public boolean admits(String claimToken) {
        return !row(false).open() || (claimToken != null && claimToken.equals(ownProbe));
    }

    /** The probe under this claim made no call (held, rejected, refused before the POST): its slot is free for the next one. */
    public void probeEnded(String claimToken) {
        if (claimToken != null && claimToken.equals(ownProbe)) {
            ownProbe = null;
            try {
                table.releaseProbe(claimToken);
                row(true);
            } catch (RuntimeException e) {
                // the slot frees itself when its lease runs out
                LOG.warn("provider circuit: could not free the probe's slot ({})", e.getMessage());
            }
        }
    }

    /** Keeps this instance's probe slot while its call runs (the lease-renewal route). */
    public void renewProbe() {
        String probe = ownProbe;
        if (probe != null) {
            try {
                table.renewProbe(probe, store.now() + settings.leaseMillis());
            } catch (RuntimeException e) {
                LOG.warn("provider circuit: could not renew the probe's slot ({})", e.getMessage());
            }
        }
    }

    /** At start with a private store: a probe in flight belonged to a previous run of this process. */
    public void releaseStaleProbe() {
        table.releaseAnyProbe();
        row(true);
    }

    // --- outcomes --------------------------------------------------------------------------------

    /**
     * A retryable failure of message {@code seq}'s call. Returns true when it is an outage's failure, not counted against
     * the message: the probe's, one while the circuit is open (a call made before it opened, here or on another
     * instance), or the one that opens it.
     */
    public boolean failed(long seq, String claimToken, String detail) {
        try {
            return outageFailure(seq, claimToken, detail);
        } catch (RuntimeException e) {
            // the outcome is recorded whatever the circuit's table says: counted, as without a circuit
            LOG.warn("provider circuit: could not weigh a failure ({}); counted against its message", e.getMessage());
            return false;
        }
    }

    private boolean outageFailure(long seq, String claimToken, String detail) {
        long now = store.now();
        if (claimToken != null && claimToken.equals(ownProbe)) {
            probeFailed(claimToken, now, detail);
            return true;
        }
        synchronized (lock) {
            CircuitStore.Row r = row(true);
            if (r.open()) {
                table.lastError(now, detail);
                row(true);
                return true;
            }
            if (settings.failures() <= 0) {
                return false;
            }
            rowSeqs.addLast(seq);
            while (rowSeqs.size() > settings.failures()) {
                rowSeqs.removeFirst();
            }
            if (row.incrementAndGet() < settings.failures()) {
                unwritten.add(seq);
                return false;
            }
            List<Long> giveBack = new ArrayList<>(rowSeqs);
            // this failure is not counted by its own transition; the ones before it were
            giveBack.remove(giveBack.size() - 1);
            row.set(0);
            rowSeqs.clear();
            open(now, detail, giveBack);
            return true;
        }
    }

    /**
     * The provider answered with anything but a retryable failure (OK, a refusal of the message, a closed window, an
     * account problem): it is there. The row ends, and an open circuit closes. Returns true when this closed it.
     */
    public boolean answered(String claimToken) {
        try {
            return answer(claimToken);
        } catch (RuntimeException e) {
            // the outcome is recorded whatever the circuit's table says; the next answer closes it
            LOG.warn("provider circuit: could not weigh an answer ({})", e.getMessage());
            return false;
        }
    }

    private boolean answer(String claimToken) {
        if (row.get() > 0) {
            synchronized (lock) {
                row.set(0);
                rowSeqs.clear();
            }
        }
        boolean probe = claimToken != null && claimToken.equals(ownProbe);
        if (!probe && !row(false).open()) {
            return false;
        }
        if (probe) {
            ownProbe = null;
        }
        Long openedAt = table.close();
        row(true);
        if (openedAt == null) {
            return false;
        }
        long backlog = backlog();
        LOG.info("provider circuit closed after {} of outage: the provider answers again; {} message{} to send (QUEUED/SENDING), "
                + "drained under the rate ceiling in each contact's order", words(store.now() - openedAt), backlog, backlog == 1 ? "" : "s");
        return true;
    }

    private void open(long now, String detail, List<Long> giveBack) {
        boolean opened = table.open(now, detail, settings.probeMillis());
        if (!opened) {
            table.lastError(now, detail);
        }
        row(true);
        if (!giveBack.isEmpty()) {
            // on the store writer, after the transitions that counted them (SPEC 7: not the messages' fault)
            giveBackDue.addAll(giveBack);
            giveBackAt = now;
            giveBackWhenWritten();
        }
        if (opened) {
            long backlog = backlog();
            LOG.warn("provider circuit open after {} retryable failures in a row, the last: {}; dispatch stopped, {} message{} wait "
                    + "(QUEUED/SENDING, attempts not counted); first probe in {}", settings.failures(), LogText.safe(detail), backlog,
                    backlog == 1 ? "" : "s", words(settings.probeMillis()));
        }
    }

    /**
     * The transition of message {@code seq}'s outcome is handed to the store writer (or none will be): a give-back that
     * waited for it goes now. The send route's record step calls it, and the end of every claim.
     */
    public void written(long seq) {
        if (unwritten.remove(seq)) {
            synchronized (lock) {
                giveBackWhenWritten();
            }
        }
    }

    /** Under {@code lock}: hands the due give-back to the writer once every failure in it is written. */
    private void giveBackWhenWritten() {
        if (giveBackDue.isEmpty() || giveBackDue.stream().anyMatch(unwritten::contains)) {
            return;
        }
        List<Long> seqs = new ArrayList<>(giveBackDue);
        long at = giveBackAt;
        giveBackDue.clear();
        store.write(c -> table.giveBack(c, seqs, at));
    }

    private void probeFailed(String token, long now, String detail) {
        ownProbe = null;
        CircuitStore.Row r = row(true);
        long last = r.intervalMillis() == null ? settings.probeMillis() : r.intervalMillis();
        long next = Math.min(Math.max(settings.maxProbeMillis(), settings.probeMillis()), last * 2);
        if (table.probeFailed(token, now, next, detail)) {
            LOG.warn("provider circuit stays open: the probe failed: {}; next probe in {}", LogText.safe(detail), words(next));
        }
        row(true);
    }

    // --- what it shows ---------------------------------------------------------------------------

    /** True while the circuit is open (the gauge; read from the store at most every {@code cacheMillis}). */
    public boolean isOpen() {
        return row(false).open();
    }

    /** The state read from the store now (the health check, the console). */
    public State state() {
        CircuitStore.Row r = row(true);
        long now = store.now();
        return new State(r.open(), instant(r.openedAt()), r.lastError(), instant(r.lastErrorAt()), r.open() ? instant(r.nextProbeAt()) : null,
                r.open() && r.intervalMillis() != null ? Duration.ofMillis(r.intervalMillis()) : null,
                r.open() && r.probeToken() != null && r.probeUntil() != null && r.probeUntil() >= now);
    }

    /** Retryable failures in a row so far on this instance (tests, logs). */
    public int failuresInARow() {
        return row.get();
    }

    private CircuitStore.Row row(boolean fresh) {
        Cached c = cached;
        long nanos = System.nanoTime();
        if (fresh || c == null || nanos - c.readAtNanos() > TimeUnit.MILLISECONDS.toNanos(settings.cacheMillis())) {
            c = new Cached(table.read(), nanos);
            cached = c;
        }
        return c.row();
    }

    private long backlog() {
        try {
            return store.count(Status.QUEUED) + store.count(Status.SENDING);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** "7 s", "2 min 5 s", "1 h 3 min". */
    static String words(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s == 0 && millis > 0 ? millis + " ms" : s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
}
