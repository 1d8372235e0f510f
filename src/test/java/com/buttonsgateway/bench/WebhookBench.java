package com.buttonsgateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook answer time with 200 deliveries in flight at once. Not part of the normal suite:
 * {@code mvn -B -Pbench test -Dtest=WebhookBench}. Prints p50/p99/max.
 */
class WebhookBench {

    private static final int CLIENTS = 200;
    private static final int PER_CLIENT = 10;

    @Test
    void webhookAnswerTimeWith200InFlight() throws Exception {
        try (TestGateway gateway = TestGateway.start("webhook-bench", System.getProperty("bench.db") == null ? Map.of() : Map.of("gateway.db.url", System.getProperty("bench.db")))) {
            String url = "http://127.0.0.1:" + gateway.port() + "/webhook/" + gateway.property("gateway.webhook.token");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(16)).build();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.execute(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < PER_CLIENT; i++) {
                            String contact = "9725" + (20_000_000 + client * PER_CLIENT + i);
                            String body = "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"BENCH" + client + "X" + i + "\",\"from\":\"" + contact
                                    + "\",\"to\":\"972771234567\",\"type\":\"text\",\"body\":\"hi\",\"timestamp\":\""
                                    + (System.currentTimeMillis() / 1000) + "\"}";
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            latencies.add(System.nanoTime() - t0);
                            if (r.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        if (failures.incrementAndGet() < 3) {
                            e.printStackTrace(System.out);
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            long t0 = System.nanoTime();
            start.countDown();
            done.await();
            double seconds = (System.nanoTime() - t0) / 1e9;
            clients.shutdown();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("webhook: %d deliveries from %d concurrent clients in %.1f s (%.0f/s); p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                            + "%d failures%n", sorted.size(), CLIENTS, seconds, sorted.size() / seconds, pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted.get(sorted.size() - 1) / 1e6, failures.get());
            assertThat(failures.get()).isZero();
        }
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)))) / 1e6;
    }
}
