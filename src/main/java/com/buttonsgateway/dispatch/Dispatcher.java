package com.buttonsgateway.dispatch;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.buttonsgateway.provider.ProviderCall;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoredMessage;

/**
 * The claim loop of the {@code dispatcher} route (SPEC 5, DESIGN "dispatch"): claims due messages from the store, at
 * most one per contact, within gateway.dispatch.concurrency calls plus a few claimed ahead, and knows which claims this
 * instance still works on (their leases are renewed, housekeeping never takes them over; SPEC 7). What happens to a
 * claimed message is the {@code send-message} route's: {@link SendSteps}, {@link Outcomes}, {@link RecordOutcome},
 * {@link ResultStep}; it ends with {@link #done}.
 */
public final class Dispatcher {

    private final MessageStore store;
    private final Settings settings;
    private final ProviderCircuit circuit;
    private static final long IDLE_NANOS = 250_000_000L;
    /**
     * Claimed messages not yet finished: gateway.dispatch.concurrency plus {@code CLAIM_AHEAD}. While {@code concurrency}
     * calls are in flight (the providerClient bounds them) the next ones are already claimed and prepared, so a call
     * that ends is followed at once instead of after a round trip to the store. No more than that: a claimed message
     * waits for a call slot behind every other claimed one, and the next message of a contact is only claimed after
     * the last one's outcome, so each message claimed beyond the calls lengthens every contact's chain (SPEC 5 order).
     */
    private static final int CLAIM_AHEAD = 16;
    private final int capacity;
    private final Semaphore permits;
    private static final long WAIT_MILLIS = 100;
    private static final long GATHER_NANOS = 3_000_000L;
    /**
     * Tokens of the claims this instance works on: claimed, waiting for a call slot, in a call or being recorded. Their
     * leases are renewed ({@link #renewLeases}) and housekeeping never takes them over (SPEC 7).
     */
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    /** System.nanoTime() when the claim loop's last pass began or ended; 0 before the first (the dispatcher health check). */
    private volatile long lastPass;
    private final Object signal = new Object();
    private boolean work = true;
    private volatile long idleUntil;

    /**
     * What dispatch reads from configuration. {@code apiKey} travels only in the outgoing body.
     *
     * @param batchSize gateway.dispatch.concurrency: calls in flight at once
     */
    public record Settings(String instance, int batchSize, long leaseMillis, int maxAttempts, String apiKey, String recoveryMode,
                           long holdMillis) {
        @Override
        public String toString() {
            return "Settings[instance=" + instance + ", batchSize=" + batchSize + ", maxAttempts=" + maxAttempts + "]";
        }
    }

    public Dispatcher(MessageStore store, Settings settings, ProviderCircuit circuit) {
        this.store = store;
        this.settings = settings;
        this.circuit = circuit;
        // with recovery "review" every message SENDING at a crash becomes a dead letter for a person: claim no more
        // than can be in a call, so none of them was claimed ahead and never sent
        this.capacity = "review".equalsIgnoreCase(settings.recoveryMode()) ? settings.batchSize()
                : settings.batchSize() + CLAIM_AHEAD;
        this.permits = new Semaphore(capacity);
        store.onQueued(this::wake);
    }

    /**
     * Due messages, at most one per contact, now SENDING with a lease; never more than the free permits (see
     * {@code capacity}), so nothing waits long in a queue while its lease runs. The dispatcher's timer calls it
     * in a loop: it waits (briefly) for a free permit and for a sign of work (something queued, a call finished) and
     * goes to the store only then, or when the idle pause for retries coming due has passed.
     */
    public List<SendJob> claim() throws InterruptedException {
        lastPass = System.nanoTime();
        try {
            return claimPass().stream().map(SendJob::claimed).toList();
        } finally {
            lastPass = System.nanoTime();
        }
    }

    /**
     * Null while the claim loop comes round (a pass takes at most a moment, or the store writer's 30 s when the store is
     * slow); otherwise the loop no longer runs, in words: the dispatcher health check turns DOWN (SPEC 9).
     */
    public String claimLoopProblem() {
        long last = lastPass;
        long limit = Math.max(settings.leaseMillis(), 5_000);
        long quiet = last == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
        return quiet > limit ? "the claim loop has not come round for " + quiet / 1000 + " s (at most " + limit / 1000
                + " s expected): nothing is being dispatched" : null;
    }

    private List<StoredMessage> claimPass() throws InterruptedException {
        if (!permits.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            return List.of();
        }
        int wanted = 1;
        // gather a few more permits for a moment: one claim (one commit) for several calls, not one each
        int enough = Math.max(1, capacity / 4);
        long gatherUntil = System.nanoTime() + GATHER_NANOS;
        while (wanted < capacity) {
            long left = gatherUntil - System.nanoTime();
            if (wanted >= enough || left <= 0 ? !permits.tryAcquire() : !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            wanted++;
        }
        if (!awaitWork()) {
            permits.release(wanted);
            return List.of();
        }
        List<StoredMessage> claimed;
        try {
            // SPEC 7: while the provider's circuit is open nothing is claimed but its one probe
            ProviderCircuit.Permit permit = circuit.permit();
            if (permit == ProviderCircuit.Permit.WAIT) {
                permits.release(wanted);
                long rest = TimeUnit.MILLISECONDS.toNanos(circuit.untilNextProbe());
                idleUntil = System.nanoTime() + (rest > 0 ? Math.min(IDLE_NANOS, rest) : IDLE_NANOS);
                return List.of();
            }
            claimed = permit == ProviderCircuit.Permit.PROBE ? circuit.claimProbe(settings.instance())
                    : store.claim(wanted, settings.instance(), settings.leaseMillis());
        } catch (RuntimeException e) {
            permits.release(wanted);
            throw e;
        }
        claimed.forEach(m -> live.add(m.claimToken()));
        permits.release(wanted - claimed.size());
        if (claimed.size() < wanted) {
            idleUntil = System.nanoTime() + IDLE_NANOS;
        } else {
            wake();
        }
        return claimed;
    }

    /** True when the store may have due work: signalled, or the idle pause is over. Waits up to WAIT_MILLIS for a signal. */
    private boolean awaitWork() throws InterruptedException {
        synchronized (signal) {
            long waitNanos = Math.min(idleUntil - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS));
            if (!work && waitNanos > 0) {
                TimeUnit.NANOSECONDS.timedWait(signal, waitNanos);
            }
            boolean go = work || System.nanoTime() >= idleUntil;
            work = false;
            return go;
        }
    }

    /** Messages claimed by this instance and not finished yet (waiting for a call, in a call, or being recorded). */
    public int claimed() {
        return capacity - permits.availablePermits();
    }

    /**
     * A claimed message is finished with (sent, retried, held, failed...; its state written or left for its lease): its
     * claim is no longer this instance's, its permit is free, and its call's slot too if no outcome gave it back.
     */
    public void done(SendJob job) {
        if (job.reply() != null) {
            job.reply().releaseSlot();
        }
        StoredMessage m = job.message();
        if (m.claimToken() != null) {
            live.remove(m.claimToken());
        }
        // a probe that made no call (held, rejected, failed before the POST) leaves the probe's slot to the next one
        circuit.probeEnded(m.claimToken());
        // whatever became of its outcome, no give-back waits for it any more
        circuit.written(m.seq());
        permits.release();
        wake();
    }

    /** Whether this instance still works on the claim (housekeeping never takes it over). */
    public boolean isLive(String claimToken) {
        return claimToken != null && live.contains(claimToken);
    }

    /**
     * Whether a claimed message's call may go out now, asked when its call slot is free: not while the provider's circuit
     * is open, unless it is the probe (SPEC 7). A call held back goes back to the queue (the outcome HELD_BACK).
     */
    public boolean admits(ProviderCall call) {
        return circuit.admits(call.claimToken());
    }

    /**
     * Renews the lease of every claim this instance still works on; the {@code lease-renewal} route calls it every
     * third of gateway.dispatch.lease-seconds, so a slow provider or a long wait for a call slot never lets a live
     * claim run out (SPEC 7). A claim the instance lost track of is not renewed: its lease runs out and housekeeping
     * recovers it.
     */
    public int renewLeases() {
        circuit.renewProbe();
        return store.renew(live, settings.leaseMillis());
    }

    /** Something was queued or a call finished: the next claim goes to the store at once. */
    public void wake() {
        synchronized (signal) {
            work = true;
            signal.notifyAll();
        }
    }
}
