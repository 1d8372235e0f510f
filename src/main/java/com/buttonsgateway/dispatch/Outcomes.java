package com.buttonsgateway.dispatch;

import java.io.IOException;
import java.time.Instant;

import com.buttonsgateway.provider.CallOutcome;
import com.buttonsgateway.provider.OutcomeClassifier;
import com.buttonsgateway.provider.ProviderAnswer;
import com.buttonsgateway.provider.ProviderReply;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.GroupCommit;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome's steps of the {@code send-message} route (SPEC 7): {@link #classify} says what the provider's reply means
 * and which branch follows ({@link SendJob.Next}); each branch makes the message's next state. Nothing is written here:
 * the route's record step writes the state, with the window's move in the same transaction.
 */
public final class Outcomes {

    private final OutcomeClassifier classifier;
    private final ObjectMapper mapper;
    private final MessageStore store;
    private final Accounts accounts;
    private final ContactWindows windows;
    private final ProviderCircuit circuit;
    private final Backoff backoff;
    private final int maxAttempts;
    private final DispatchMetrics metrics;
    private final Runnable wake;

    /** @param wake called when the provider answers again after an outage: the backlog goes at once */
    public Outcomes(OutcomeClassifier classifier, ObjectMapper mapper, MessageStore store, Accounts accounts, ContactWindows windows, ProviderCircuit circuit,
                    Backoff backoff, int maxAttempts, DispatchMetrics metrics, Runnable wake) {
        this.classifier = classifier;
        this.mapper = mapper;
        this.store = store;
        this.accounts = accounts;
        this.windows = windows;
        this.circuit = circuit;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
        this.wake = wake;
    }

    /** What the reply means (SPEC 7) and the branch that follows. */
    public SendJob classify(SendJob job) {
        ProviderReply reply = job.reply();
        if (reply == null || reply.heldBack()) {
            return job.classified(null, SendJob.Next.HELD_BACK);
        }
        if (reply.startedNanos() != 0) {
            metrics.providerCall(job.route(), System.nanoTime() - reply.startedNanos());
        }
        StoredMessage m = job.message();
        CallOutcome outcome = reply.error() != null ? classifier.failed(reply.error()) : classifier.classify(reply.status(), reply.body());
        if (outcome.kind() != CallOutcome.Kind.RETRY && circuit.answered(m.claimToken())) {
            // the provider is back: the backlog goes at once
            wake.run();
        }
        SendJob.Next next = switch (outcome.kind()) {
            case SENT -> SendJob.Next.SENT;
            // SPEC 7: an outage is not the message's fault; the circuit counts it
            case RETRY -> circuit.failed(m.seq(), m.claimToken(), outcome.detail()) ? SendJob.Next.OUTAGE
                    : m.attempts() + 1 >= maxAttempts ? SendJob.Next.DEAD : SendJob.Next.RETRY;
            // the provider is the final judge of the window: decided again once, by the closed-window policy (SPEC 5)
            case WINDOW_CLOSED -> !m.rerouted() && "buttons".equals(job.route()) ? SendJob.Next.REDECIDE : SendJob.Next.DEAD;
            case PAUSE_ACCOUNT -> SendJob.Next.PAUSE;
            // reason 2 for an account that never had an OK is a wrong 'from', not an outage of the account
            case ACCOUNT_UNKNOWN -> accounts.everOk(m.account()) ? SendJob.Next.PAUSE : SendJob.Next.DEAD;
            case FINAL -> SendJob.Next.DEAD;
        };
        return job.classified(outcome, next);
    }

    /** SENT, the provider's id and whole answer kept; the window moves by what the provider said, in the same transaction. */
    public SendJob sent(SendJob job) {
        StoredMessage m = job.message();
        accounts.accountOk(m.account());
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.SENT).route(job.route()).attempted()
                .provider(job.outcome().unique(), answer(job)), windowMove(job, true), null);
    }

    /** QUEUED again after the backoff of this attempt. */
    public SendJob retryLater(SendJob job) {
        metrics.retry(job.route());
        int attempts = job.message().attempts() + 1;
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.QUEUED).route(job.route()).attempted().errors(errors(job))
                .nextAttemptAt(store.now() + backoff.delayAfter(attempts)).reason(job.outcome().detail()), windowMove(job, false), null);
    }

    /** The provider is down: QUEUED, due as soon as the circuit lets calls go; not counted as an attempt (SPEC 7). */
    public SendJob outage(SendJob job) {
        metrics.retry(job.route());
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.QUEUED).route(job.route()).errors(errors(job))
                .nextAttemptAt(store.now()).reason("provider outage (not counted): " + job.outcome().detail()), windowMove(job, false), null);
    }

    /** The window closed on a buttons message: QUEUED at once, to be decided again by the closed-window policy. */
    public SendJob redecide(SendJob job) {
        windows.close(job.message().account(), job.contact());
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.QUEUED).route(job.route()).attempted().errors(errors(job))
                .rerouted(true).nextAttemptAt(store.now()).reason(job.outcome().detail()), null, null);
    }

    /** Reason 2/3: the whole sender account waits for POST /api/accounts/{from}/resume; this call is not counted. */
    public SendJob pause(SendJob job) {
        StoredMessage m = job.message();
        accounts.pause(m.account(), job.outcome().detail());
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.QUEUED).route(job.route()).errors(errors(job))
                .nextAttemptAt(store.now()).reason("account paused: " + job.outcome().detail()), windowMove(job, false), null);
    }

    /** The circuit opened before the call went out: back to the queue as it was, no attempt, no error (SPEC 7). */
    public SendJob heldBack(SendJob job) {
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.QUEUED).nextAttemptAt(store.now())
                .reason("not sent: the provider's circuit is open"), null, null);
    }

    /** DEAD: nothing more to try; the result step writes its dead letter. */
    public SendJob dead(SendJob job) {
        StoredMessage m = job.message();
        CallOutcome outcome = job.outcome();
        String reason = switch (outcome.kind()) {
            case RETRY -> "gave up after " + (m.attempts() + 1) + " attempts: " + outcome.detail();
            case ACCOUNT_UNKNOWN -> outcome.detail() + "; account " + m.account() + " never had an OK: check 'from'";
            default -> outcome.detail();
        };
        if (outcome.kind() == CallOutcome.Kind.WINDOW_CLOSED) {
            windows.close(m.account(), job.contact());
        }
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.DEAD).route(job.route()).attempted().errors(errors(job))
                .provider(null, answer(job)).reason(reason), outcome.kind() == CallOutcome.Kind.WINDOW_CLOSED ? null : windowMove(job, false), null);
    }

    /** The whole answer is kept (SPEC 7), never an API key an echo might carry. */
    private String answer(SendJob job) {
        ProviderReply reply = job.reply();
        return reply == null || reply.error() != null ? null : ProviderAnswer.kept(mapper, reply.body());
    }

    /**
     * The window's move the provider's answer tells of, written in the outcome's transaction: the minutes it says are
     * left, and a sent message's conversation. "0 minutes left" for a window already known closed changes nothing.
     */
    private GroupCommit.Work<Void> windowMove(SendJob job, boolean sent) {
        StoredMessage m = job.message();
        Long timeLeft = job.outcome().templateTimeLeft();
        ContactWindows.View view = job.view();
        boolean knownClosed = view == null || !view.open();
        boolean move = timeLeft != null && !(timeLeft == 0 && knownClosed);
        if (!move && !sent) {
            return null;
        }
        return c -> {
            if (move) {
                windows.templateTimeLeft(c, m.account(), job.contact(), timeLeft);
            }
            if (sent) {
                windows.sent(c, m.account(), job.contact(), view);
            }
            return null;
        };
    }

    /** The message's error history with this attempt's failure added. */
    private String errors(SendJob job) {
        StoredMessage m = job.message();
        ArrayNode errors;
        try {
            JsonNode existing = m.errors() == null ? null : mapper.readTree(m.errors());
            errors = existing instanceof ArrayNode a ? a : mapper.createArrayNode();
        } catch (IOException e) {
            errors = mapper.createArrayNode();
        }
        ObjectNode error = errors.addObject();
        error.put("attempt", m.attempts() + 1);
        error.put("at", Instant.ofEpochMilli(store.now()).toString());
        error.put("kind", job.outcome().errorKind());
        error.put("detail", job.outcome().detail());
        return errors.toString();
    }
}
