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
 * Dispatch throughput against the raw-HTTP limit. Not part of the normal suite:
 * {@code mvn -B -Pbench test -Dtest=DispatchBench}. Messages are stored first (dispatcher stopped), then timed
 * from the dispatcher's start until the last is SENT; the bare loop posts the same JSON with java.net.http at the
 * same concurrency to the same stand-in. CPU is the whole JVM's (gateway or loop, plus the stand-in, in both).
 * Overrides: -Dbench.messages, -Dbench.contacts, -Dbench.warmup (messages sent first, untimed, by both),
 * -Dbench.profiler (see {@link #profile}), -Dbench.postgresql=jdbc:postgresql://host:5432/ (the store on PostgreSQL, in a
 * new database created there from the database {@code test}, dropped afterwards; CPU figures then leave out the server's).
 */
class DispatchBench {

    @Test
    void zeroLatencyConcurrency8() throws Exception {
        // short calls: the gateway's own code is all there is, and on 2 cores the JIT takes ~60,000 messages to compile it
        run(0, 8, Integer.getInteger("bench.messages", 10_000), Integer.getInteger("bench.contacts", 2_000), 60_000);
    }

    @Test
    void latency300Concurrency256() throws Exception {
        run(300, 256, Integer.getInteger("bench.messages", 20_000), Integer.getInteger("bench.contacts", 2_000), 10_000);
    }

    private static void run(long latency, int concurrency, int messages, int contacts, int defaultWarmup) throws Exception {
        Figures bare;
        Figures gateway;
        int bareInFlight;
        int gatewayInFlight;
        int warmup = Integer.getInteger("bench.warmup", defaultWarmup);
        try (ProviderStub stub = new ProviderStub(latency, concurrency + 64)) {
            bareLoop(stub, concurrency, 0, warmup, contacts);
            bare = bareLoop(stub, concurrency, warmup, messages, contacts);
            bareInFlight = stub.maxInFlight();
        }
        try (ProviderStub stub = new ProviderStub(latency, concurrency + 64)) {
            gateway = gateway(stub, concurrency, warmup, messages, contacts);
            gatewayInFlight = stub.maxInFlight();
            assertThat(stub.overlaps()).as("calls to one contact that overlapped").isZero();
        }
        System.out.printf("most calls in flight at the stand-in: bare %d, gateway %d%n", bareInFlight, gatewayInFlight);
        System.out.printf("%n== latency %d ms, concurrency %d, %d messages (after %d to warm up) ==%n", latency, concurrency, messages,
                warmup);
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

    /** The provider JSON the gateway posts for message i (a closed window, so sendTemplate). */
    private static String providerJson(int i, int contacts) {
        return "{\"apiKey\":\"bench\",\"from\":\"972771234567\",\"to\":\"9725" + (30_000_000 + i % contacts)
                + "\",\"name\":\"bench_tpl\",\"headerType\":1,\"bodyVariable1\":\"" + i + "\"}";
    }

    private static Figures bareLoop(ProviderStub stub, int concurrency, int first, int messages, int contacts) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, Math.min(concurrency, 8)))).build();
        String[] bodies = new String[messages];
        for (int i = 0; i < messages; i++) {
            bodies[i] = providerJson(first + i, contacts);
        }
        URI uri = URI.create(stub.baseUrl() + "/sendTemplate");
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(messages);
        resetPeaks();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        InFlightSampler sampler = new InFlightSampler(stub);
        for (int i = 0; i < messages; i++) {
            inFlight.acquire();
            client.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies[i], StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        done.countDown();
                    });
        }
        done.await();
        System.out.printf("calls in flight at the stand-in on average: bare %.0f%n", sampler.stop());
        return new Figures(messages, (System.nanoTime() - t0) / 1e9, (cpu() - cpu0) / 1e9, peakHeap());
    }

    private static Figures gateway(ProviderStub stub, int concurrency, int warmup, int messages, int contacts) throws Exception {
        Map<String, String> properties = new java.util.HashMap<>(Map.of("gateway.provider.api-key", "bench", "gateway.sandbox.enabled", "false",
                "gateway.provider.base-url", stub.baseUrl(), "gateway.dispatch.concurrency", Integer.toString(concurrency),
                "gateway.dispatch.rate-per-second", "1000000"));
        String postgres = System.getProperty("bench.postgresql");
        String database = "gw_bench_" + Long.toHexString(System.nanoTime());
        if (postgres != null) {
            // -Dbench.postgresql=jdbc:postgresql://127.0.0.1:5432/ : the store in a new database there, dropped afterwards
            execute(postgres + "test", "CREATE DATABASE " + database);
            properties.put("gateway.db.url", postgres + database);
            properties.put("gateway.db.user", System.getProperty("bench.postgresql.user", "postgres"));
        }
        try (TestGateway gateway = TestGateway.start("bench", properties)) {
            Intake intake = gateway.context().getRegistry().lookupByNameAndType("intake", Intake.class);
            MessageStore store = gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class);
            // the same gateway first sends the warm-up messages (the JIT compiles its hot paths), then the timed ones
            gateway.context().getRouteController().stopRoute("dispatcher");
            feed(intake, 0, warmup, contacts);
            gateway.context().getRouteController().startRoute("dispatcher");
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.count(com.buttonsgateway.store.Status.SENT) == warmup);
            gateway.context().getRouteController().stopRoute("dispatcher");
            feed(intake, warmup, messages, contacts);
            System.gc();
            resetPeaks();
            ThreadCpu threads = new ThreadCpu();
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            profile("start,event=cpu,interval=500us");
            gateway.context().getRouteController().startRoute("dispatcher");
            InFlightSampler sampler = new InFlightSampler(stub);
            var dispatcher = gateway.context().getRegistry().lookupByNameAndType("dispatcher", com.buttonsgateway.dispatch.Dispatcher.class);
            var client = gateway.context().getRegistry().lookupByNameAndType("providerClient", com.buttonsgateway.provider.ProviderClient.class);
            var seda = gateway.context().getEndpoint("seda:send-message", org.apache.camel.component.seda.SedaEndpoint.class);
            InFlightSampler claimed = new InFlightSampler(dispatcher::claimed);
            InFlightSampler calls = new InFlightSampler(client::inFlight);
            InFlightSampler queued = new InFlightSampler(seda::getCurrentQueueSize);
            // the stand-in's count first: counting SENT rows in the store every poll would cost the gateway CPU
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stub.count() >= warmup + messages && store.count(com.buttonsgateway.store.Status.SENT) == warmup + messages);
            profile("stop,file=target/dispatch-profile.collapsed,collapsed");
            System.out.printf("calls in flight at the stand-in on average: gateway %.0f (claimed %.0f, calls out %.0f, queued for workers %.0f)%n",
                    sampler.stop(), claimed.stop(), calls.stop(), queued.stop());
            threads.print((cpu() - cpu0) / 1e9);
            return new Figures(messages, (System.nanoTime() - t0) / 1e9, (cpu() - cpu0) / 1e9, peakHeap());
        } finally {
            if (postgres != null) {
                execute(postgres + "test", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static void execute(String url, String sql) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(url, System.getProperty("bench.postgresql.user", "postgres"), "");
             var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void feed(Intake intake, int first, int count, int contacts) {
        for (int from = first; from < first + count; from += 1000) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = from; i < Math.min(first + count, from + 1000); i++) {
                batch.append(i == from ? "" : ",").append(json(i, contacts));
            }
            intake.accept(batch.append(']').toString().getBytes(StandardCharsets.UTF_8), "bench", "bench");
        }
    }

    /** Samples the stand-in's calls in flight every 10 ms: how busy the run kept the provider (Little's law). */
    private static final class InFlightSampler {
        private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final java.util.concurrent.atomic.LongAdder sum = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();

        InFlightSampler(ProviderStub stub) {
            this(stub::inFlight);
        }

        InFlightSampler(java.util.function.IntSupplier value) {
            timer.scheduleAtFixedRate(() -> {
                sum.add(value.getAsInt());
                count.increment();
            }, 0, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        double stop() {
            timer.shutdownNow();
            return count.sum() == 0 ? 0 : (double) sum.sum() / count.sum();
        }
    }

    /** CPU seconds per thread group over the run (JVM threads only; the rest of the process CPU is GC, JIT, native). */
    private static final class ThreadCpu {
        private final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> start = new java.util.HashMap<>();

        ThreadCpu() {
            for (long id : mx.getAllThreadIds()) {
                start.put(id, mx.getThreadCpuTime(id));
            }
        }

        void print(double processSeconds) {
            Map<String, Double> groups = new java.util.TreeMap<>();
            double java = 0;
            for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long now = mx.getThreadCpuTime(info.getThreadId());
                double seconds = (now - start.getOrDefault(info.getThreadId(), 0L)) / 1e9;
                String name = info.getThreadName().replaceAll("#\\d+|-\\d+$|\\d+", "#");
                groups.merge(name, seconds, Double::sum);
                java += seconds;
            }
            System.out.printf("CPU s by thread (process %.1f, JVM threads %.1f, rest %.1f):%n", processSeconds, java, processSeconds - java);
            double total = java;
            groups.entrySet().stream().filter(e -> e.getValue() > total / 100).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> System.out.printf("  %6.1f  %s%n", e.getValue(), e.getKey()));
        }
    }

    /**
     * With {@code -Dbench.profiler=<path to libasyncProfiler.so>} (and its jar on the test classpath), async-profiler
     * samples the timed gateway run; the stacks go to target/dispatch-profile.collapsed (README: where the CPU goes).
     */
    private static void profile(String command) {
        String lib = System.getProperty("bench.profiler");
        if (lib == null) {
            return;
        }
        try {
            Class<?> c = Class.forName("one.profiler.AsyncProfiler");
            Object p = c.getMethod("getInstance", String.class).invoke(null, lib);
            System.out.println(c.getMethod("execute", String.class).invoke(p, command));
        } catch (ReflectiveOperationException e) {
            System.out.println("profiler: " + e);
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
