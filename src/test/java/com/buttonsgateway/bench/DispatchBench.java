package com.buttonsgateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.intake.Intake;
import com.buttonsgateway.store.MessageStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dispatch throughput against the raw-HTTP limit (issue 7). Not part of the normal suite:
 * {@code mvn -B -Pbench test -Dtest=DispatchBench}. Messages are stored first (dispatcher stopped), then timed
 * from the dispatcher's start until the last is SENT; the bare loop posts the same JSON with java.net.http at the
 * same concurrency to the same stand-in. CPU is the whole JVM's (gateway or loop, plus the stand-in, in both).
 * Overrides: -Dbench.messages, -Dbench.contacts.
 */
class DispatchBench {

    @Test
    void zeroLatencyConcurrency8() throws Exception {
        run(0, 8, Integer.getInteger("bench.messages", 10_000), Integer.getInteger("bench.contacts", 2_000));
    }

    @Test
    void latency300Concurrency256() throws Exception {
        run(300, 256, Integer.getInteger("bench.messages", 20_000), Integer.getInteger("bench.contacts", 2_000));
    }

    private static void run(long latency, int concurrency, int messages, int contacts) throws Exception {
        Figures bare;
        Figures gateway;
        int bareInFlight;
        int gatewayInFlight;
        try (ProviderStub stub = new ProviderStub(latency, concurrency + 64)) {
            bare = bareLoop(stub, concurrency, messages);
            bareInFlight = stub.maxInFlight();
        }
        try (ProviderStub stub = new ProviderStub(latency, concurrency + 64)) {
            gateway = gateway(stub, concurrency, messages, contacts);
            gatewayInFlight = stub.maxInFlight();
            assertThat(stub.overlaps()).as("calls to one contact that overlapped").isZero();
        }
        System.out.printf("most calls in flight at the stand-in: bare %d, gateway %d%n", bareInFlight, gatewayInFlight);
        System.out.printf("%n== latency %d ms, concurrency %d, %d messages ==%n", latency, concurrency, messages);
        System.out.printf("bare loop : %8.0f msg/s  %6.2f CPU s/1000  peak heap %5d MB%n", bare.rate(), bare.cpuPer1000(), bare.peakHeapMb());
        System.out.printf("gateway   : %8.0f msg/s  %6.2f CPU s/1000  peak heap %5d MB%n", gateway.rate(), gateway.cpuPer1000(),
                gateway.peakHeapMb());
        System.out.printf("ratio     : %.2f of the bare loop%n%n", gateway.rate() / bare.rate());
    }

    private record Figures(int messages, double seconds, double cpuSeconds, long peakHeapBytes) {
        double rate() {
            return messages / seconds;
        }

        double cpuPer1000() {
            return cpuSeconds / messages * 1000;
        }

        long peakHeapMb() {
            return peakHeapBytes >> 20;
        }
    }

    private static String json(int i, int contacts) {
        return "{\"id\":\"bench-" + i + "\",\"to\":\"9725" + (30_000_000 + i % contacts) + "\",\"body\":\"bench message " + i
                + "\",\"button1\":\"Yes\",\"button2\":\"No\",\"template\":{\"name\":\"bench_tpl\",\"bodyVariable1\":\"" + i + "\"}}";
    }

    private static Figures bareLoop(ProviderStub stub, int concurrency, int messages) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, Math.min(concurrency, 8)))).build();
        String body = "{\"apiKey\":\"bench\",\"from\":\"972771234567\",\"to\":\"972530000001\",\"name\":\"bench_tpl\",\"headerType\":1,"
                + "\"bodyVariable1\":\"1\"}";
        URI uri = URI.create(stub.baseUrl() + "/sendTemplate");
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(messages);
        resetPeaks();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            inFlight.acquire();
            client.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        done.countDown();
                    });
        }
        done.await();
        return new Figures(messages, (System.nanoTime() - t0) / 1e9, (cpu() - cpu0) / 1e9, peakHeap());
    }

    private static Figures gateway(ProviderStub stub, int concurrency, int messages, int contacts) throws Exception {
        try (TestGateway gateway = TestGateway.start("bench", Map.of("gateway.provider.api-key", "bench", "gateway.sandbox.enabled", "false",
                "gateway.provider.base-url", stub.baseUrl(), "gateway.dispatch.concurrency", Integer.toString(concurrency),
                "gateway.dispatch.rate-per-second", "1000000"))) {
            gateway.context().getRouteController().stopRoute("dispatcher");
            Intake intake = gateway.context().getRegistry().lookupByNameAndType("intake", Intake.class);
            MessageStore store = gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class);
            for (int from = 0; from < messages; from += 1000) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < Math.min(messages, from + 1000); i++) {
                    batch.append(i == from ? "" : ",").append(json(i, contacts));
                }
                intake.accept(batch.append(']').toString().getBytes(StandardCharsets.UTF_8), "bench", "bench");
            }
            System.gc();
            resetPeaks();
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            gateway.context().getRouteController().startRoute("dispatcher");
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.count(com.buttonsgateway.store.Status.SENT) == messages);
            return new Figures(messages, (System.nanoTime() - t0) / 1e9, (cpu() - cpu0) / 1e9, peakHeap());
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
