package com.buttonsgateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stand-in for the provider that lives outside the gateway (so it survives the gateway's crash): answers every
 * Send Buttons / Send Template call OK after a configurable latency and records what it received. Built on Vert.x so
 * that it holds no thread per call in flight and is not the bottleneck of a benchmark.
 */
public final class ProviderStub implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private volatile long latencyMillis;
    // appended on every call: a copy-on-write list would copy itself each time (quadratic in a benchmark's 30,000 calls)
    private final List<JsonNode> received = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private final Map<String, AtomicInteger> byBody = new ConcurrentHashMap<>();
    private final AtomicLong unique = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByContact = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final java.util.Queue<Answer> next = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<Call> calls = new ArrayList<>();
    private volatile java.util.function.Function<JsonNode, Reply> rule = request -> null;

    /** A reply of the test's own, chosen by {@link #rule}: any HTTP status and body. */
    public record Reply(int status, String body) {
    }

    /** One call as received and answered: the request, System.nanoTime() of its arrival, the HTTP status it got. */
    public record Call(JsonNode request, long arrivedNanos, int status) {
        /** The message's own text: its body, or its template's bodyVariable1. */
        public String text() {
            return request.path("body").asText(request.path("bodyVariable1").asText());
        }
    }

    /**
     * An answer of the test's own for one call: {@code body} with HTTP 200, sent whole, or dripped one byte every
     * {@code dripMillis} (chunked) for an answer that trickles in.
     */
    public record Answer(String body, long dripMillis) {
        public static Answer of(String body) {
            return new Answer(body, 0);
        }
    }

    public ProviderStub(long latencyMillis, int ignoredThreads) {
        this.latencyMillis = latencyMillis;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true).setAcceptBacklog(2048))
                .requestHandler(this::handle).listen()
                .onSuccess(started::complete).onFailure(started::completeExceptionally);
        try {
            this.server = started.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stand-in did not start", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/whatsapp/v2";
    }

    public void latency(long millis) {
        this.latencyMillis = millis;
    }

    /** What was received so far, in order (a copy). */
    public List<JsonNode> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** System.nanoTime() of each call's arrival, in order. */
    public List<Long> arrivals() {
        synchronized (received) {
            return new ArrayList<>(arrivals);
        }
    }

    public int count() {
        synchronized (received) {
            return received.size();
        }
    }

    /** How many calls carried this body text (or, for a template, this bodyVariable1). */
    public int timesSent(String body) {
        AtomicInteger n = byBody.get(body);
        return n == null ? 0 : n.get();
    }

    /**
     * Each call is shown to {@code rule} first (after {@link #answerNext}'s answers): a reply it gives is the answer, a
     * null leaves the usual OK. An outage: {@code rule(r -> down ? new Reply(503, "...") : null)}.
     */
    public void rule(java.util.function.Function<JsonNode, Reply> rule) {
        this.rule = rule;
    }

    /** Every call so far, in arrival order, with the status it was answered (a copy). */
    public List<Call> calls() {
        synchronized (received) {
            return new ArrayList<>(calls);
        }
    }

    /** The next calls, in arrival order, get these answers instead of the usual OK. */
    public void answerNext(Answer... answers) {
        next.addAll(List.of(answers));
    }

    /** Calls received and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Calls that started while another call to the same contact was in flight (must stay 0, SPEC 5). */
    public int overlaps() {
        return overlaps.get();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            JsonNode json;
            try {
                json = TestGateway.JSON.readTree(buffer.getBytes());
            } catch (Exception e) {
                request.response().setStatusCode(400).end("{\"status\":\"FAIL\",\"reason\":2}");
                return;
            }
            String contact = json.path("to").asText();
            AtomicInteger perContact = inFlightByContact.computeIfAbsent(contact, c -> new AtomicInteger());
            if (perContact.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Answer own = next.poll();
            Reply reply = own == null ? rule.apply(json) : null;
            synchronized (received) {
                received.add(json);
                long now = System.nanoTime();
                arrivals.add(now);
                calls.add(new Call(json, now, reply == null ? 200 : reply.status()));
            }
            byBody.computeIfAbsent(json.path("body").asText(json.path("bodyVariable1").asText()), b -> new AtomicInteger()).incrementAndGet();
            Runnable answer = () -> {
                inFlight.decrementAndGet();
                perContact.decrementAndGet();
                if (own != null) {
                    answerWith(request, own);
                    return;
                }
                if (reply != null) {
                    request.response().setStatusCode(reply.status()).putHeader("Content-Type", "text/plain").end(reply.body());
                    return;
                }
                request.response().putHeader("Content-Type", "application/json")
                        .end("{\"status\":\"OK\",\"unique\":\"STUB" + unique.incrementAndGet() + "\",\"to\":\"" + contact
                                + "\",\"templateTimeLeft\":\"0\",\"reason\":1}");
            };
            long latency = latencyMillis;
            if (latency > 0) {
                vertx.setTimer(latency, id -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    private void answerWith(HttpServerRequest request, Answer own) {
        var response = request.response().putHeader("Content-Type", "application/json");
        if (own.dripMillis() <= 0) {
            response.end(own.body());
            return;
        }
        response.setChunked(true);
        AtomicInteger sent = new AtomicInteger();
        vertx.setPeriodic(own.dripMillis(), timer -> {
            int i = sent.getAndIncrement();
            if (response.closed() || response.ended()) {
                vertx.cancelTimer(timer);
            } else if (i >= own.body().length()) {
                vertx.cancelTimer(timer);
                response.end();
            } else {
                response.write(own.body().substring(i, i + 1));
            }
        });
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing a test stand-in: nothing to do
        }
    }
}
