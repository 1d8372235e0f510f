package com.buttonsgateway.dispatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import com.buttonsgateway.dispatch.ResultFiles;
import com.buttonsgateway.provider.CallOutcome;
import com.buttonsgateway.provider.MediaCheck;
import com.buttonsgateway.provider.OutcomeClassifier;
import com.buttonsgateway.provider.ProviderAnswer;
import com.buttonsgateway.provider.ProviderClient;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.provider.ProviderMapper;
import com.buttonsgateway.request.ValidRequest;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;
import com.buttonsgateway.window.WindowPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.buttonsgateway.store.GroupCommit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch steps the {@code dispatcher} and {@code send-message} routes call: claim due rows, decide by the
 * window, build the provider call, and turn its answer into the message's next state (SPEC 5 and 7).
 */
public final class Dispatcher {

    /** Exchange property: "buttons", "template", "hold" or "reject". */
    public static final String ROUTE = "gatewayRoute";
    /** Exchange property: the provider operation to call, "sendButtons" or "sendTemplate"; absent when no call is made. */
    public static final String CALL = "gatewayCall";
    private static final String MESSAGE = "gatewayMessage";
    private static final String VIEW = "gatewayContactView";
    /** Exchange property: the sender account, the key of the per-account rate ceiling. */
    public static final String ACCOUNT = "gatewayAccount";

    private final MessageStore store;
    private final Accounts accounts;
    private final ContactWindows windows;
    private final WindowPolicy policy;
    private final OutcomeClassifier classifier;
    private final ResultFiles results;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final Settings settings;
    private final DispatchMetrics metrics;
    private final Executor afterCommit;
    private final ProviderCircuit circuit;
    private final OptOuts optOuts;
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private final ProviderMapper providerMapper = new ProviderMapper();
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
    private final java.util.concurrent.Semaphore permits;
    private static final long WAIT_MILLIS = 100;
    private static final long GATHER_NANOS = 3_000_000L;
    /**
     * Tokens of the claims this instance works on: claimed, waiting for a call slot, in a call or being recorded. Their
     * leases are renewed ({@link #renewLeases}) and housekeeping never takes them over (issue 13, SPEC 7).
     */
    private final java.util.Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Exchange property: the call's outcome is handed to the store writer, which ends the claim once it is written. */
    private static final String RECORDING = "gatewayRecording";
    /** System.nanoTime() when the claim loop's last pass began or ended; 0 before the first (the dispatcher health check). */
    private volatile long lastPass;
    /** Rows (or contacts) one housekeeping step handles in a pass (SPEC 9: bounded whatever the backlog). */
    static final int PAGE = 500;
    /** The last (account, contact) releaseOpenHeld looked at; it goes on from there. */
    private volatile String[] heldCursor = {"", ""};
    private final Object signal = new Object();
    private boolean work = true;
    private volatile long idleUntil;

    /** What dispatch reads from configuration. {@code apiKey} travels only in the outgoing body. */
    public record Settings(String instance, int batchSize, long leaseMillis, int maxAttempts, String apiKey, String recoveryMode,
                           long holdMillis) {
        @Override
        public String toString() {
            return "Settings[instance=" + instance + ", batchSize=" + batchSize + ", maxAttempts=" + maxAttempts + "]";
        }
    }

    public Dispatcher(MessageStore store, Accounts accounts, ContactWindows windows, WindowPolicy policy, OutcomeClassifier classifier,
                      ResultFiles results, ObjectMapper mapper, Backoff backoff, Settings settings, DispatchMetrics metrics,
                      Executor afterCommit, ProviderCircuit circuit, OptOuts optOuts) {
        this.afterCommit = afterCommit;
        this.circuit = circuit;
        this.optOuts = optOuts;
        this.store = store;
        this.accounts = accounts;
        this.windows = windows;
        this.policy = policy;
        this.classifier = classifier;
        this.results = results;
        this.mapper = mapper;
        this.backoff = backoff;
        this.settings = settings;
        this.metrics = metrics;
        // with recovery "review" every message SENDING at a crash becomes a dead letter for a person: claim no more
        // than can be in a call, so none of them was claimed ahead and never sent
        this.capacity = "review".equalsIgnoreCase(settings.recoveryMode()) ? settings.batchSize()
                : settings.batchSize() + CLAIM_AHEAD;
        this.permits = new java.util.concurrent.Semaphore(capacity);
        store.onQueued(this::wake);
    }

    /**
     * Due messages, at most one per contact, now SENDING with a lease; never more than the free permits (see
     * {@code capacity}), so nothing waits long in a queue while its lease runs. The dispatcher's timer calls it
     * in a loop: it waits (briefly) for a free permit and for a sign of work (something queued, a call finished) and
     * goes to the store only then, or when the idle pause for retries coming due has passed.
     */
    public List<StoredMessage> claim() throws InterruptedException {
        lastPass = System.nanoTime();
        try {
            return claimPass();
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
     * A claimed message is finished with (sent, retried, held, failed...): its permit is free again, and its call's
     * slot too when no outcome took it over (an outcome gives the slot back once it is committed).
     */
    public void done(Exchange exchange) {
        Runnable slot = exchange.getProperty(ProviderClient.SLOT, Runnable.class);
        if (slot != null) {
            exchange.removeProperty(ProviderClient.SLOT);
            slot.run();
        }
        StoredMessage m = exchange.getProperty(MESSAGE, StoredMessage.class);
        if (m != null && !exchange.getProperty(RECORDING, false, Boolean.class)) {
            // nothing more will be written under this claim: a row left SENDING is recovered once its lease runs out
            endClaim(m);
        }
        if (m != null) {
            // a probe that made no call (held, rejected, failed before the POST) leaves the probe's slot to the next one
            circuit.probeEnded(m.claimToken());
        }
        permits.release();
        wake();
    }

    private void endClaim(StoredMessage m) {
        if (m.claimToken() != null) {
            live.remove(m.claimToken());
        }
    }

    /** Something was queued or a call finished: the next claim goes to the store at once. */
    public void wake() {
        synchronized (signal) {
            work = true;
            signal.notifyAll();
        }
    }

    /**
     * Decides the route of a claimed message. For buttons/template the body becomes the provider JSON; hold and
     * reject are finished here (no provider call).
     */
    public void prepare(Exchange exchange) {
        StoredMessage m = exchange.getMessage().getBody(StoredMessage.class);
        exchange.setProperty(MESSAGE, m);
        exchange.setProperty(ACCOUNT, m.account());
        ValidRequest request = request(m);
        String contact = contact(m);
        if (optedOut(m.account(), contact, m.contact())) {
            // SPEC 5: refused at dispatch, whatever the window or the route; no provider sees it
            exchange.setProperty(ROUTE, "reject");
            finish(m, Transition.of(Status.SENDING, Status.REJECTED).route(m.route()).reason(OPTED_OUT));
            return;
        }
        ContactWindows.View view = windows.view(m.account(), contact).orElse(null);
        exchange.setProperty(VIEW, view);
        boolean open = view != null && view.open();
        String template = request.template() == null ? null : request.template().name();
        // a template-only request has no Send Buttons form: its template, whatever the window (SPEC 3, issue 16)
        WindowPolicy.Decision decision = request.templateOnly() ? new WindowPolicy.Decision(WindowPolicy.Route.TEMPLATE, template, null)
                : policy.decide(open, request.whenClosed(), template);
        exchange.setProperty(ROUTE, decision.routeName());
        switch (decision.route()) {
            case BUTTONS -> callBody(exchange, "sendButtons", providerMapper.sendButtons(request, settings.apiKey()));
            case TEMPLATE -> callBody(exchange, "sendTemplate", providerMapper.sendTemplate(request, decision.templateName(), settings.apiKey()));
            case HOLD -> store.apply(m, Transition.of(Status.SENDING, Status.HELD).route("buttons").reason(decision.reason()));
            case REJECT -> finish(m, Transition.of(Status.SENDING, Status.REJECTED).route(m.route()).reason(decision.reason()));
        }
        if (mediaCheckDue(m, request, decision.route())) {
            // SPEC 11: asked by the mediaPreflight step, on its own threads, before the call slot (MediaPreflight)
            exchange.setProperty(MediaPreflight.REQUEST, request);
        }
    }

    /**
     * Before the first call of the route that carries a media header (SPEC 11): the message's first attempt, or its first
     * template call after the provider closed the window on its buttons (the template's headerLink was never asked).
     */
    private static boolean mediaCheckDue(StoredMessage m, ValidRequest request, WindowPolicy.Route route) {
        return switch (route) {
            case BUTTONS -> m.attempts() == 0 && request.header() != 1 && request.headerURL() != null;
            case TEMPLATE -> (m.attempts() == 0 || (m.rerouted() && m.attempts() == 1)) && request.template() != null
                    && request.template().headerType() != 1 && request.template().headerLink() != null;
            default -> false;
        };
    }

    /**
     * The media pre-flight's verdict (SPEC 11): REFUSED finishes the message REJECTED with the problems by field (the
     * size or type, and the provider's limit), and no call is made; UNKNOWN (no answer in time, an error) is a WARN and
     * the message is sent for the provider to judge.
     */
    public void mediaChecked(Exchange exchange) {
        MediaCheck.Verdict verdict = exchange.getProperty(MediaPreflight.VERDICT, MediaCheck.Verdict.class);
        StoredMessage m = exchange.getProperty(MESSAGE, StoredMessage.class);
        if (verdict == null || m == null) {
            return;
        }
        if (verdict.outcome() == MediaCheck.Verdict.Outcome.UNKNOWN) {
            LOG.warn("id={} {}", m.id(), verdict.reason());
        } else if (verdict.refused()) {
            exchange.removeProperty(CALL);
            String reason = verdict.problems().stream().map(Problem::message).collect(java.util.stream.Collectors.joining("; "));
            StoredMessage done = store.applyAndGet(m, Transition.of(Status.SENDING, Status.REJECTED)
                    .route(exchange.getProperty(ROUTE, String.class)).reason(reason), problemsJson(verdict.problems()));
            if (done != null) {
                written(done);
            }
        }
    }

    private String problemsJson(List<Problem> problems) {
        try {
            return mapper.writeValueAsString(problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reason of a message refused because its contact opted out (SPEC 5): also what a legacy row is told. */
    public static final String OPTED_OUT = "contact opted out";

    /** Opted out by its number, or by the provider id the message was addressed to (the API takes either). */
    private boolean optedOut(String account, String contact, String addressed) {
        return optOuts.optedOutAt(account, contact).isPresent()
                || (!contact.equals(addressed) && optOuts.optedOutAt(account, addressed).isPresent());
    }

    private void callBody(Exchange exchange, String call, ObjectNode body) {
        exchange.setProperty(CALL, call);
        try {
            exchange.getMessage().setBody(mapper.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
    }

    /**
     * Whether a claimed message's call may go out now, asked when its call slot is free: not while the provider's circuit
     * is open, unless it is the probe (SPEC 7). A call held back is given back to the queue by {@link #completed}.
     */
    public boolean admits(Exchange exchange) {
        StoredMessage m = exchange.getProperty(MESSAGE, StoredMessage.class);
        return m == null || circuit.admits(m.claimToken());
    }

    /** The provider answered (any HTTP status), or the call was held back because the provider's circuit is open. */
    public void completed(Exchange exchange) {
        if (exchange.getProperty(ProviderClient.HELD_BACK, false, Boolean.class)) {
            heldBack(exchange);
            return;
        }
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        // the whole answer is kept (SPEC 7), never an API key an echo might carry
        record(exchange, classifier.classify(code == null ? 0 : code, body), ProviderAnswer.kept(mapper, body));
    }

    /** The call ended without an answer (network error, timeout). */
    public void failed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        exchange.setException(null);
        record(exchange, classifier.failed(error == null ? new IOException("unknown failure") : error), null);
    }

    /** Claimed, but the circuit opened before its call: back to the queue as it was, no attempt, no error (SPEC 7). */
    private void heldBack(Exchange exchange) {
        StoredMessage m = exchange.getProperty(MESSAGE, StoredMessage.class);
        store.applyLater(m, Transition.of(Status.SENDING, Status.QUEUED).nextAttemptAt(store.now())
                .reason("not sent: the provider's circuit is open"), null).whenCompleteAsync((done, error) -> {
                    endClaim(m);
                    if (error != null) {
                        LOG.error("id={} could not put its claim back: {}", m.id(), error.getMessage());
                    }
                }, afterCommit);
        exchange.setProperty(RECORDING, true);
    }

    private void record(Exchange exchange, CallOutcome outcome, String responseBody) {
        StoredMessage m = exchange.getProperty(MESSAGE, StoredMessage.class);
        String route = exchange.getProperty(ROUTE, String.class);
        Long started = exchange.getProperty(ProviderClient.STARTED, Long.class);
        if (started != null) {
            metrics.providerCall(route, System.nanoTime() - started);
        }
        // the outcome's commit gives the call's slot back; if apply fails before that, done() does
        Runnable slot = exchange.getProperty(ProviderClient.SLOT, Runnable.class);
        apply(m, route, outcome, responseBody, exchange.getProperty(VIEW, ContactWindows.View.class), slot);
        exchange.removeProperty(ProviderClient.SLOT);
        exchange.setProperty(RECORDING, true);
    }

    /** The contact whose window counts: a provider user id ({@code IL.123...}) is looked up, a number is itself. */
    private String contact(StoredMessage m) {
        return m.contact().matches("[A-Z]{2}\\.\\d+") ? windows.contactOf(m.contact()).orElse(m.contact()) : m.contact();
    }

    /** Turns one call's outcome into the message's next state; {@code recorded} runs once it is committed (or could not be). */
    private void apply(StoredMessage m, String route, CallOutcome outcome, String responseBody, ContactWindows.View view, Runnable recorded) {
        int attempts = m.attempts() + 1;
        String contact = contact(m);
        Long timeLeft = outcome.templateTimeLeft();
        boolean knownClosed = view == null || !view.open();
        // "0 minutes left" for a window already known closed changes nothing: no write
        boolean moveWindow = timeLeft != null && outcome.kind() != CallOutcome.Kind.WINDOW_CLOSED && !(timeLeft == 0 && knownClosed);
        boolean sent = outcome.kind() == CallOutcome.Kind.SENT;
        if (outcome.kind() != CallOutcome.Kind.RETRY && circuit.answered(m.claimToken())) {
            // the provider is back (SPEC 7): the backlog goes at once
            wake();
        }
        GroupCommit.Work<Void> windowWork = !moveWindow && !sent ? null : c -> {
            if (moveWindow) {
                windows.templateTimeLeft(c, m.account(), contact, timeLeft);
            }
            if (sent) {
                windows.sent(c, m.account(), contact, view);
            }
            return null;
        };
        Transition t = switch (outcome.kind()) {
            case SENT -> {
                accounts.accountOk(m.account());
                yield Transition.of(Status.SENDING, Status.SENT).route(route).attempted().provider(outcome.unique(), responseBody);
            }
            case RETRY -> {
                String errors = appendError(m, outcome, attempts);
                if (circuit.failed(m.seq(), m.claimToken(), outcome.detail())) {
                    metrics.retry(route);
                    // SPEC 7: an outage is not the message's fault: not counted, due as soon as the circuit lets calls go
                    yield Transition.of(Status.SENDING, Status.QUEUED).route(route).errors(errors).nextAttemptAt(store.now())
                            .reason("provider outage (not counted): " + outcome.detail());
                }
                if (attempts >= settings.maxAttempts()) {
                    yield Transition.of(Status.SENDING, Status.DEAD).route(route).attempted().errors(errors)
                            .provider(null, responseBody).reason("gave up after " + attempts + " attempts: " + outcome.detail());
                }
                metrics.retry(route);
                yield Transition.of(Status.SENDING, Status.QUEUED).route(route).attempted().errors(errors)
                        .nextAttemptAt(store.now() + backoff.delayAfter(attempts)).reason(outcome.detail());
            }
            case WINDOW_CLOSED -> {
                windows.close(m.account(), contact);
                String errors = appendError(m, outcome, attempts);
                if (!m.rerouted() && "buttons".equals(route)) {
                    // the provider is the final judge: re-decide once by the closed-window policy (SPEC 5)
                    yield Transition.of(Status.SENDING, Status.QUEUED).route(route).attempted().errors(errors)
                            .rerouted(true).nextAttemptAt(store.now()).reason(outcome.detail());
                }
                yield Transition.of(Status.SENDING, Status.DEAD).route(route).attempted().errors(errors)
                        .provider(null, responseBody).reason(outcome.detail());
            }
            case PAUSE_ACCOUNT -> pause(m, route, outcome);
            case ACCOUNT_UNKNOWN -> accounts.everOk(m.account()) ? pause(m, route, outcome)
                    : Transition.of(Status.SENDING, Status.DEAD).route(route).attempted().errors(appendError(m, outcome, attempts))
                            .provider(null, responseBody)
                            .reason(outcome.detail() + "; account " + m.account() + " never had an OK: check 'from'");
            case FINAL -> Transition.of(Status.SENDING, Status.DEAD).route(route).attempted()
                    .errors(appendError(m, outcome, attempts)).provider(null, responseBody).reason(outcome.detail());
        };
        store.applyLater(m, t, windowWork).whenCompleteAsync((done, error) -> {
            // the claim ends here: written, taken over, or left for its lease to run out
            endClaim(m);
            if (recorded != null) {
                // the outcome is committed (or could not be): the call's slot goes to the next call
                recorded.run();
            }
            if (error != null) {
                // the row stays SENDING: its lease runs out and recovery decides (SPEC 7)
                LOG.error("id={} could not record the outcome of its call: {}", m.id(), error.getMessage());
            } else if (done == null) {
                // fenced out: another claim (a take-over after this one's lease ran out) owns the row now (issue 13)
                LOG.warn("id={} outcome {} of its call not recorded: its claim was taken over after its lease ran out", m.id(), t.to());
            } else if (done.status().finished()) {
                try {
                    written(done);
                } catch (RuntimeException e) {
                    // gw_result_pending keeps the row: housekeeping writes the file later
                    LOG.error("id={} could not write its result file: {}", m.id(), e.getMessage());
                }
            }
        }, afterCommit);
    }

    /** Reason 2/3: the whole account waits; this call is not counted as an attempt (SPEC 7). */
    private Transition pause(StoredMessage m, String route, CallOutcome outcome) {
        accounts.pause(m.account(), outcome.detail());
        return Transition.of(Status.SENDING, Status.QUEUED).route(route).errors(appendError(m, outcome, m.attempts() + 1))
                .nextAttemptAt(store.now()).reason("account paused: " + outcome.detail());
    }

    private void finish(StoredMessage m, Transition t) {
        StoredMessage done = store.applyAndGet(m, t);
        if (done != null) {
            written(done);
        }
    }

    /** A finished message is in the store: its result file (and dead letter), its metrics. */
    private void written(StoredMessage done) {
        metrics.finished(done.status().name(), done.route());
        writeFiles(done);
    }

    private void writeFiles(StoredMessage done) {
        if (done.status() == Status.DEAD) {
            results.writeDeadLetter(done);
        } else {
            results.writeResult(done);
        }
        store.resultWritten(done.seq());
    }

    /** Result files a crash kept from being written (the message finished, the file never came). */
    public int writeMissingResults() {
        List<StoredMessage> pending = store.pendingResults(store.now() - 30_000);
        pending.forEach(this::writeFiles);
        return pending.size();
    }

    private String appendError(StoredMessage m, CallOutcome outcome, int attempt) {
        ArrayNode errors;
        try {
            JsonNode existing = m.errors() == null ? null : mapper.readTree(m.errors());
            errors = existing instanceof ArrayNode a ? a : mapper.createArrayNode();
        } catch (IOException e) {
            errors = mapper.createArrayNode();
        }
        ObjectNode error = errors.addObject();
        error.put("attempt", attempt);
        error.put("at", Instant.ofEpochMilli(store.now()).toString());
        error.put("kind", outcome.errorKind());
        error.put("detail", outcome.detail());
        return errors.toString();
    }

    private ValidRequest request(StoredMessage m) {
        try {
            return mapper.readValue(m.request(), ValidRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored request of " + m.id() + " is unreadable", e);
        }
    }

    // --- replay (SPEC 7) ---------------------------------------------------------------------------

    public enum Replay { REPLAYED, NOT_FOUND, NOT_DEAD }

    /** DEAD -> QUEUED with a fresh attempt count; its dead-letter file goes (it is no longer dead). */
    public Replay replay(String id) {
        StoredMessage m = id == null ? null : store.find(id).orElse(null);
        if (m == null) {
            return Replay.NOT_FOUND;
        }
        if (m.status() != Status.DEAD || !store.apply(m, Transition.of(Status.DEAD, Status.QUEUED).freshAttempts().rerouted(false)
                .nextAttemptAt(store.now()).reason("replayed"))) {
            return Replay.NOT_DEAD;
        }
        results.delete(results.deadLetterFile(id));
        return Replay.REPLAYED;
    }

    /** A dead-letter file moved into {@code <dead-letter>/replay/}: replays the message it names. */
    public Replay replayFile(String json) {
        try {
            JsonNode doc = mapper.readTree(json);
            return replay(doc == null ? null : doc.path("id").asText(null));
        } catch (IOException e) {
            return Replay.NOT_FOUND;
        }
    }

    // --- housekeeping (SPEC 5 hold-hours, SPEC 7 recovery) ----------------------------------------

    /**
     * Resolves messages that were SENDING when their instance died: all of them at start with a private (H2) store,
     * those whose lease ran out otherwise (their instance stopped renewing it). {@code resend} queues them again,
     * {@code review} finishes them DEAD. A claim this instance still works on is never one of them, and a take-over
     * applies only if the lease has still run out when it is written (issue 13).
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
            if (m.claimToken() != null && live.contains(m.claimToken())) {
                continue;
            }
            long now = store.now();
            Transition t = "review".equalsIgnoreCase(settings.recoveryMode())
                    ? Transition.of(Status.SENDING, Status.DEAD).reason("in flight at a crash: review")
                    : Transition.of(Status.SENDING, Status.QUEUED).nextAttemptAt(now).reason("in flight at a crash: sent again");
            if (!all) {
                t = t.leaseExpiredBefore(now);
            }
            if (t.to() == Status.DEAD) {
                finish(m, t);
            } else {
                store.apply(m, t);
            }
            count++;
        }
        return count;
    }

    /**
     * Renews the lease of every claim this instance still works on; the {@code lease-renewal} route calls it every
     * third of gateway.dispatch.lease-seconds, so a slow provider or a long wait for a call slot never lets a live
     * claim run out (issue 13, SPEC 7). A claim the instance lost track of is not renewed: its lease runs out and
     * housekeeping recovers it.
     */
    public int renewLeases() {
        circuit.renewProbe();
        return store.renew(live, settings.leaseMillis());
    }

    /** Held messages older than gateway.window.hold-hours go DEAD. */
    public int expireHeld() {
        int count = 0;
        for (StoredMessage m : store.heldBefore(store.now() - settings.holdMillis(), PAGE)) {
            finish(m, Transition.of(Status.HELD, Status.DEAD).reason("held longer than gateway.window.hold-hours without a reply"));
            count++;
        }
        return count;
    }

    /**
     * Housekeeping tick: lease take-over, hold expiry, and held messages whose contact wrote meanwhile. Each step
     * handles at most {@code PAGE} rows a pass, whatever the backlog (SPEC 9); the rest comes at the next passes.
     */
    public void sweep() {
        recoverInFlight(false);
        expireHeld();
        releaseOpenHeld();
        writeMissingResults();
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
            String contact = pair[1].matches("[A-Z]{2}\\.\\d+") ? windows.contactOf(pair[1]).orElse(pair[1]) : pair[1];
            if (windows.isOpen(pair[0], contact)) {
                released += store.releaseHeld(pair[0], pair[1]);
            }
        }
        // a short page is the end of the list: the next pass starts again from the beginning
        heldCursor = pairs.size() < PAGE ? new String[] {"", ""} : pairs.get(pairs.size() - 1);
        return released;
    }
}
