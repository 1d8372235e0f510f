package com.buttonsgateway.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * One provider call without a thread waiting on it (SPEC 7): the JDK HTTP client's {@code sendAsync}, so many calls
 * can be in flight at once while a few threads do the work around them. Each call is exactly one POST: the JDK client
 * never repeats a POST by itself, so every retry is the gateway's own decision (SPEC 7).
 *
 * <p>In: a body that carries a {@link ProviderCall} ({@link ProviderCall.Carrier}). Out: the body that carrier makes of
 * the {@link ProviderReply}: the answer, the error (network, timeout, an answer over its bound), or "held back". The
 * call never ends the exchange with an exception: what a failure means is the send route's outcome choice.
 */
public final class ProviderClient extends AsyncProcessorSupport implements AsyncProcessor {

    private final HttpClient client;
    private final String baseUrl;
    private final Duration timeout;
    private final Executor completions;
    /**
     * Calls in flight (sent, outcome not yet in the store), at most gateway.dispatch.concurrency; a call beyond waits in
     * {@code waiting}, holding no thread.
     */
    private final Semaphore calls;
    private final int concurrency;
    /** Asked just before each POST (SPEC 7: not while the provider's circuit is open, except its probe). */
    private final java.util.function.Predicate<ProviderCall> admit;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    /** SPEC 7: an answer is read up to 64 KB; a longer one is a failed (retried) attempt. */
    static final long MAX_ANSWER_BYTES = 64 * 1024;
    /** Ends an answer that drips in past its deadline; a cancelled deadline leaves at once (most answers are in time). */
    private final java.util.concurrent.ScheduledThreadPoolExecutor deadlines;

    /**
     * @param io          the HTTP client's own threads (connections, reading answers)
     * @param completions where the route goes on after an answer, so route work never delays reading the next answer
     * @param admit       whether a call may go out now, asked when its slot comes free (a call waits for its slot while
     *                    the calls before it run, and the provider may have gone meanwhile)
     */
    public ProviderClient(String baseUrl, Duration timeout, Executor io, Executor completions, int concurrency,
                          java.util.function.Predicate<ProviderCall> admit) {
        this.admit = admit;
        this.concurrency = concurrency;
        this.calls = new Semaphore(concurrency);
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.completions = completions;
        this.deadlines = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "provider-answer-deadlines");
            t.setDaemon(true);
            return t;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
        // no thread left behind by an idle (or stopped) gateway
        this.deadlines.setKeepAliveTime(30, java.util.concurrent.TimeUnit.SECONDS);
        this.deadlines.allowCoreThreadTimeOut(true);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(io).build();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ProviderCall.Carrier carrier = exchange.getMessage().getBody(ProviderCall.Carrier.class);
        ProviderCall call = carrier == null ? null : carrier.call();
        if (call == null) {
            exchange.setException(new IllegalStateException("providerClient needs a body with a ProviderCall, not " + exchange.getMessage().getBody()));
            callback.done(true);
            return true;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + call.operation())).timeout(timeout)
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(call.json()))
                    .build();
        } catch (RuntimeException e) {
            exchange.getMessage().setBody(carrier.replied(ProviderReply.failed(e, 0, null)));
            callback.done(true);
            return true;
        }
        waiting.add(() -> send(request, call, carrier, exchange, callback));
        startWaiting();
        return false;
    }

    /** Calls sent whose outcome is not recorded yet. */
    public int inFlight() {
        return concurrency - calls.availablePermits();
    }

    /** Starts waiting calls while there is room. Whoever adds a call or ends one looks afterwards, so none is left behind. */
    private void startWaiting() {
        while (!waiting.isEmpty() && calls.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                calls.release();
            } else {
                next.run();
            }
        }
    }

    private void send(HttpRequest request, ProviderCall call, ProviderCall.Carrier carrier, Exchange exchange, AsyncCallback callback) {
        if (!admits(call)) {
            // no call: the slot goes to the next waiting call (startWaiting goes on), the route hears it as held back
            calls.release();
            exchange.getMessage().setBody(carrier.replied(ProviderReply.notCalled()));
            completions.execute(() -> callback.done(false));
            return;
        }
        Slot slot = new Slot();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> answer;
        try {
            // bounded in size and in time, headers and body together (gateway.provider.timeout-ms)
            answer = client.sendAsync(request, BoundedAnswer.handler(MAX_ANSWER_BYTES, timeout, deadlines));
        } catch (RuntimeException e) {
            exchange.getMessage().setBody(carrier.replied(ProviderReply.failed(e, started, slot)));
            callback.done(false);
            return;
        }
        answer.whenCompleteAsync((response, error) -> {
            exchange.getMessage().setBody(carrier.replied(error != null
                    ? ProviderReply.failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error, started, slot)
                    : ProviderReply.answered(response.statusCode(), response.body(), started, slot)));
            callback.done(false);
        }, completions);
    }

    /** A gate that cannot answer (its store is down) does not stop the call: it goes as it would without one. */
    private boolean admits(ProviderCall call) {
        try {
            return admit.test(call);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * A call's place among the {@code concurrency}: taken when the POST goes out, given back once, by whoever has the
     * call's outcome in the store (or knows there is none to record). Until then the call counts as in flight, so a
     * crash can make at most {@code concurrency} messages go out twice.
     */
    private final class Slot implements Runnable {
        private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);

        @Override
        public void run() {
            if (held.compareAndSet(true, false)) {
                calls.release();
                startWaiting();
            }
        }
    }
}
