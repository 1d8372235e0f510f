package com.buttonsgateway.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The raw-HTTP limit a gateway case is compared with: in the bench's own JVM, java.net.http (HTTP/1.1, sendAsync, a
 * Semaphore of the gateway's concurrency) posts each message's provider JSON (the gateway's sendTemplate body, built
 * before timing) to the same out-of-process stand-in. Timed from the first send to the stand-in's last answer; CPU is
 * this JVM's ({@code getProcessCpuTime}) from the first send until the last answer came back to the loop.
 */
final class BareLoop implements AutoCloseable {

    record Figures(int messages, double seconds, double cpuMs, int maxInFlight) {
        double rate() {
            return messages / seconds;
        }

        double cpuMsPerMessage() {
            return cpuMs / messages;
        }
    }

    private final StandInProcess standIn;
    private final int concurrency;
    private final ExecutorService executor;
    private final HttpClient client;

    BareLoop(StandInProcess standIn, int concurrency) {
        this.standIn = standIn;
        this.concurrency = concurrency;
        this.executor = Executors.newFixedThreadPool(Math.max(2, Math.min(concurrency, 8)));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
    }

    /** Sends {@link Messages#providerJson} of items {@code [first, first + count)}; the stand-in is reset first. */
    Figures run(Messages items, Duration timeout) throws Exception {
        String[] bodies = new String[items.count()];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = items.providerJson(i);
        }
        URI uri = URI.create(standIn.baseUrl() + "/sendTemplate");
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(bodies.length);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        standIn.reset();
        long deadline = System.nanoTime() + timeout.toNanos();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        for (String body : bodies) {
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("bare loop: no answer within " + timeout);
            }
            client.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json; charset=UTF-8").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 200) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, e != null ? e.toString() : "HTTP " + r.statusCode() + " " + r.body());
                        }
                        inFlight.release();
                        done.countDown();
                    });
        }
        if (!done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("bare loop: " + done.getCount() + " answers missing after " + timeout);
        }
        double cpuMs = (cpu() - cpu0) / 1e6;
        if (failures.get() > 0) {
            throw new IllegalStateException("bare loop: " + failures.get() + " calls failed, first: " + firstFailure.get());
        }
        StandInProcess.Stats stats = standIn.stats();
        long end = stats.lastAnswerNanos() > t0 ? stats.lastAnswerNanos() : System.nanoTime();
        if (stats.calls() != bodies.length || stats.duplicates() != 0) {
            throw new IllegalStateException("bare loop: the stand-in counted " + stats + " for " + bodies.length + " calls");
        }
        return new Figures(bodies.length, (end - t0) / 1e9, cpuMs, stats.maxInFlight());
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
