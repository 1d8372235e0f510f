package com.buttonsgateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the provider that lives outside the gateway (so it survives the gateway's crash): answers every
 * Send Buttons / Send Template call OK after a configurable latency and records what it received.
 */
public final class ProviderStub implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool;
    private volatile long latencyMillis;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> byBody = new ConcurrentHashMap<>();
    private final AtomicLong unique = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByContact = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();

    static {
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public ProviderStub(long latencyMillis, int threads) {
        this.latencyMillis = latencyMillis;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/whatsapp/v2";
    }

    public void latency(long millis) {
        this.latencyMillis = millis;
    }

    public List<JsonNode> received() {
        return received;
    }

    /** System.nanoTime() of each call's arrival, in order. */
    public List<Long> arrivals() {
        return arrivals;
    }

    public int count() {
        return received.size();
    }

    /** How many calls carried this body text. */
    public int timesSent(String body) {
        AtomicInteger n = byBody.get(body);
        return n == null ? 0 : n.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Calls that started while another call to the same contact was in flight (must stay 0, SPEC 5). */
    public int overlaps() {
        return overlaps.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        JsonNode json = TestGateway.JSON.readTree(body);
        String contact = json.path("to").asText();
        AtomicInteger perContact = inFlightByContact.computeIfAbsent(contact, c -> new AtomicInteger());
        if (perContact.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        received.add(json);
        arrivals.add(System.nanoTime());
        byBody.computeIfAbsent(json.path("body").asText(json.path("bodyVariable1").asText()), b -> new AtomicInteger()).incrementAndGet();
        try {
            long latency = latencyMillis;
            if (latency > 0) {
                TimeUnit.MILLISECONDS.sleep(latency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            perContact.decrementAndGet();
        }
        byte[] answer = ("{\"status\":\"OK\",\"unique\":\"STUB" + unique.incrementAndGet() + "\",\"to\":\"" + contact
                + "\",\"templateTimeLeft\":\"0\",\"reason\":1}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
