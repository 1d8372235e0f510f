package com.buttonsgateway.dispatch;

import java.util.List;

import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;

/**
 * The {@code housekeeping} route's steps (SPEC 5 hold-hours, SPEC 7 recovery, SPEC 9 bounded passes): claims whose
 * instance died, held messages that waited too long or whose contact wrote meanwhile, result files a crash kept from
 * being written. Each step handles at most {@link #PAGE} rows a pass, whatever the backlog; the rest comes next pass.
 */
public final class Housekeeping {

    /** Rows (or contacts) one housekeeping step handles in a pass (SPEC 9: bounded whatever the backlog). */
    static final int PAGE = 500;

    private final MessageStore store;
    private final ContactWindows windows;
    private final Dispatcher dispatcher;
    private final ResultStep results;
    private final String recoveryMode;
    private final long holdMillis;
    /** The last (account, contact) releaseOpenHeld looked at; it goes on from there. */
    private volatile String[] heldCursor = {"", ""};

    /**
     * @param recoveryMode gateway.recovery.mode: {@code resend} or {@code review}
     * @param holdMillis   gateway.window.hold-hours in milliseconds
     */
    public Housekeeping(MessageStore store, ContactWindows windows, Dispatcher dispatcher, ResultStep results, String recoveryMode,
                        long holdMillis) {
        this.store = store;
        this.windows = windows;
        this.dispatcher = dispatcher;
        this.results = results;
        this.recoveryMode = recoveryMode;
        this.holdMillis = holdMillis;
    }

    /** One pass: lease take-over, hold expiry, held messages whose contact wrote, missing result files. */
    public void sweep() {
        recoverInFlight(false);
        expireHeld();
        releaseOpenHeld();
        writeMissingResults();
    }

    /**
     * Resolves messages that were SENDING when their instance died: all of them at start with a private (H2) store,
     * those whose lease ran out otherwise (their instance stopped renewing it). {@code resend} queues them again,
     * {@code review} finishes them DEAD. A claim this instance still works on is never one of them, and a take-over
     * applies only if the lease has still run out when it is written (SPEC 7).
     */
    public int recoverInFlight(boolean all) {
        int count = 0;
        int recovered;
        do {
            // at start (all) every page, so none is left; in housekeeping one page a pass
            recovered = recoverPage(all);
            count += recovered;
        } while (all && recovered == PAGE);
        return count;
    }

    private int recoverPage(boolean all) {
        int count = 0;
        for (StoredMessage m : store.inFlight(all, PAGE)) {
            if (dispatcher.isLive(m.claimToken())) {
                continue;
            }
            long now = store.now();
            Transition t = "review".equalsIgnoreCase(recoveryMode)
                    ? Transition.of(Status.SENDING, Status.DEAD).reason("in flight at a crash: review")
                    : Transition.of(Status.SENDING, Status.QUEUED).nextAttemptAt(now).reason("in flight at a crash: sent again");
            if (!all) {
                t = t.leaseExpiredBefore(now);
            }
            finish(m, t);
            count++;
        }
        return count;
    }

    /** Held messages older than gateway.window.hold-hours go DEAD. */
    public int expireHeld() {
        int count = 0;
        for (StoredMessage m : store.heldBefore(store.now() - holdMillis, PAGE)) {
            finish(m, Transition.of(Status.HELD, Status.DEAD).reason("held longer than gateway.window.hold-hours without a reply"));
            count++;
        }
        return count;
    }

    /**
     * HELD messages whose window is open again go back to the queue (the release after a webhook may have been lost in
     * a crash). Looks at {@code PAGE} contacts with held messages a pass, going on from where the last pass stopped.
     */
    public int releaseOpenHeld() {
        int released = 0;
        String[] after = heldCursor;
        List<String[]> pairs = store.heldContacts(after[0], after[1], PAGE);
        for (String[] pair : pairs) {
            if (windows.isOpen(pair[0], SendSteps.contactOf(windows, pair[1]))) {
                released += store.releaseHeld(pair[0], pair[1]);
            }
        }
        // a short page is the end of the list: the next pass starts again from the beginning
        heldCursor = pairs.size() < PAGE ? new String[] {"", ""} : pairs.get(pairs.size() - 1);
        return released;
    }

    /** Result files a crash kept from being written (the message finished, the file never came). */
    public int writeMissingResults() {
        List<StoredMessage> pending = store.pendingResults(store.now() - 30_000);
        pending.forEach(results::write);
        return pending.size();
    }

    private void finish(StoredMessage m, Transition t) {
        StoredMessage done = store.applyAndGet(m, t);
        if (done != null && done.status().finished()) {
            results.finished(done);
        }
    }
}
