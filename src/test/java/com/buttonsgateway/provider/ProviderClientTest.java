package com.buttonsgateway.provider;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider call (SPEC 7) against a local HTTP server: exactly one POST per call, the answer or the error handed to
 * the body's carrier, at most {@code concurrency} calls unrecorded, and no POST while the circuit holds calls back.
 * ProviderClient is a Camel processor by nature (the exchange waits for the answer without a thread), so the test
 * hands it plain exchanges; no route, no context started.
 */
class ProviderClientTest {

    private HttpServer server;
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final AtomicBoolean admit = new AtomicBoolean(true);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", http -> {
            posts.add(http.getRequestMethod() + " " + http.getRequestURI().getPath() + " "
                    + new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"status\":\"OK\",\"unique\":\"u-1\"}".getBytes(StandardCharsets.UTF_8);
            http.sendResponseHeaders(200, answer.length);
            http.getResponseBody().write(answer);
            http.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private ProviderClient client(String url, int concurrency) {
        return new ProviderClient(url, Duration.ofSeconds(2), threads, threads, concurrency, call -> admit.get());
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A body that carries one call and keeps the reply it is given, as the send route's SendJob does. */
    record Carried(ProviderCall call, ProviderReply reply) implements ProviderCall.Carrier {
        @Override
        public Object replied(ProviderReply reply) {
            return new Carried(call, reply);
        }
    }

    private CompletableFuture<ProviderReply> send(ProviderClient client, String operation) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(new Carried(new ProviderCall(operation, "{\"to\":\"972501234567\"}", "token"), null));
        CompletableFuture<ProviderReply> done = new CompletableFuture<>();
        client.process(exchange, sync -> done.complete(exchange.getMessage().getBody(Carried.class).reply()));
        return done;
    }

    @Test
    void oneCallIsOnePostToItsOperationAndItsAnswerReachesTheCarrier() throws Exception {
        ProviderReply reply = send(client(url(), 2), "sendButtons").get(5, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("u-1");
        assertThat(reply.error()).isNull();
        assertThat(reply.startedNanos()).isNotZero();
        assertThat(posts).containsExactly("POST /sendButtons {\"to\":\"972501234567\"}");
    }

    @Test
    void aProviderThatCannotBeReachedIsAnErrorInTheReplyNotAnException() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ProviderReply reply = send(client("http://127.0.0.1:" + closed, 1), "sendTemplate").get(5, TimeUnit.SECONDS);
        assertThat(reply.error()).isNotNull();
        assertThat(reply.heldBack()).isFalse();
    }

    @Test
    void aCallWaitsForItsSlotUntilTheOutcomeBeforeItIsRecorded() throws Exception {
        ProviderClient client = client(url(), 1);
        ProviderReply first = send(client, "sendButtons").get(5, TimeUnit.SECONDS);
        CompletableFuture<ProviderReply> second = send(client, "sendButtons");
        assertThat(client.inFlight()).isEqualTo(1);
        assertThat(posts).hasSize(1);
        assertThat(second).isNotDone();
        // the first outcome is committed: its slot goes to the waiting call
        first.releaseSlot();
        first.releaseSlot();
        assertThat(second.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(posts).hasSize(2);
    }

    @Test
    void aCallTheCircuitHoldsBackIsNotPosted() throws Exception {
        admit.set(false);
        ProviderClient client = client(url(), 1);
        ProviderReply reply = send(client, "sendButtons").get(5, TimeUnit.SECONDS);
        assertThat(reply.heldBack()).isTrue();
        assertThat(reply.slot()).isNull();
        assertThat(posts).isEmpty();
        assertThat(client.inFlight()).isZero();
    }
}
