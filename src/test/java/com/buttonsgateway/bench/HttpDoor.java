package com.buttonsgateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /api/messages} with the admin token, {@code clients} requests in flight at once (java.net.http, HTTP/1.1,
 * sendAsync and a Semaphore: as many connections), one item per request (a JSON object) or {@code perRequest} items (a
 * JSON array). Every answer must be 202. The handover returns once every request is answered.
 */
final class HttpDoor implements Door {

    static final String TOKEN = "bench-admin";

    private final int clients;
    private final int perRequest;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient client;
    private String[] bodies = new String[0];

    HttpDoor(int clients, int perRequest, Duration timeout) {
        this.clients = clients;
        this.perRequest = perRequest;
        this.timeout = timeout;
        this.executor = Executors.newFixedThreadPool(Math.max(2, Math.min(clients, 4)));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("gateway.admin.token", TOKEN);
    }

    @Override
    public String describe(int messages) {
        return "HTTP x" + messages + " (" + (perRequest == 1 ? "1 item" : perRequest + " items") + "/request, " + clients + " clients)";
    }

    @Override
    public void prepare(Gateway gateway, Messages items) {
        int requests = (items.count() + perRequest - 1) / perRequest;
        bodies = new String[requests];
        for (int r = 0; r < requests; r++) {
            int from = r * perRequest;
            bodies[r] = perRequest == 1 ? items.request(from) : items.requests(from, Math.min(items.count(), from + perRequest));
        }
    }

    @Override
    public void handOver(Gateway gateway, Messages items, long[] at) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/api/messages");
        Semaphore inFlight = new Semaphore(clients);
        CountDownLatch done = new CountDownLatch(bodies.length);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int r = 0; r < bodies.length; r++) {
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("HTTP intake: no answer within " + timeout + " (" + done.getCount() + " requests open)");
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(bodies[r], StandardCharsets.UTF_8)).build();
            long t = System.nanoTime();
            int from = r * perRequest;
            for (int i = from; i < Math.min(items.count(), from + perRequest); i++) {
                at[i] = t;
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, e) -> {
                if (e != null || response.statusCode() != 202) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e != null ? e.toString() : "HTTP " + response.statusCode() + " " + abbreviate(response.body()));
                }
                inFlight.release();
                done.countDown();
            });
        }
        if (!done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("HTTP intake: " + done.getCount() + " requests not answered within " + timeout);
        }
        if (failures.get() > 0) {
            throw new IllegalStateException("HTTP intake: " + failures.get() + " of " + bodies.length + " requests not answered 202, first: "
                    + firstFailure.get());
        }
        bodies = new String[0];
    }

    private static String abbreviate(String s) {
        return s == null || s.length() < 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
