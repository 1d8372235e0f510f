package com.buttonsgateway.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end through the doors a user uses (files, HTTP, the legacy-database poller, mail), against a bare loop. Not
 * part of the normal suite (the name ends in Bench): one case at a time,
 * <pre>mvn -B -Pbench test -Dtest='IntakeBench#filesZeroLatency' -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>Each case starts a provider stand-in ({@link StandIn}) in a JVM of its own with a set latency, measures the bare
 * loop ({@link BareLoop}: java.net.http posting each message's provider JSON at the same concurrency), then forks the
 * gateway ({@link ForkedGateway}, its H2 store in its home, {@code -Xmx} from {@code -Dbench.xmx}, default 1g) pointed at
 * the stand-in. Both sides first send a warm-up, untimed, the gateway through the same door; the stand-in's counters are
 * then reset. Timed: from the first handover (the first rename, request, commit or mail) to the stand-in's answer to the
 * last message, every message counted there exactly once. The gateway's CPU (utime+stime), peak RSS and peak heap are
 * those of its process over the timed window ({@link ProcWatch}). Each case prints a block and appends it to
 * target/intake-bench.txt.
 *
 * <p>Overrides: -Dbench.messages, -Dbench.contacts (2,000), -Dbench.warmup (5,000; mail 100), -Dbench.xmx (1g),
 * -Dbench.timeout-minutes (5, each wait), -Dbench.batch.files (20), -Dbench.http.batch (100), -Dbench.http.batch.clients (8),
 * -Dbench.poller.batch (500), -Dbench.poller.delay-ms (100), -Dbench.latency.files (50), -Dbench.latency.warmup (10),
 * -Dbench.standin.threads (4), -Dbench.postgresql, -Dbench.mariadb, -Dbench.keep-data=true (keep each gateway's data/ folder;
 * by default a case that passed leaves only the logs in target/intake-bench/<case>-<time>/).
 */
class IntakeBench {

    private static final Path OUT = Path.of("target/intake-bench.txt");
    private static final Path WORK = Path.of("target/intake-bench").toAbsolutePath();
    private static final int CONTACTS = Integer.getInteger("bench.contacts", 2_000);
    private static final Duration TIMEOUT = Duration.ofMinutes(Integer.getInteger("bench.timeout-minutes", 5));
    private static final String XMX = System.getProperty("bench.xmx", "1g");

    // --- files, one message each ---------------------------------------------------------------------------------

    @Test
    void filesZeroLatency() throws Exception {
        measure(FileDoor.singles(), 0, 8, messages(10_000), warmup(30_000), XMX);
    }

    @Test
    void files300ms() throws Exception {
        measure(FileDoor.singles(), 300, 256, messages(20_000), warmup(10_000), XMX);
    }

    /** As files300ms with the gateway's heap at -Xmx256m (ForkedGateway's usual). */
    @Test
    void files300msXmx256m() throws Exception {
        measure(FileDoor.singles(), 300, 256, messages(20_000), warmup(10_000), "256m");
    }

    // --- files, batches ------------------------------------------------------------------------------------------

    @Test
    void batchFilesZeroLatency() throws Exception {
        int messages = messages(20_000);
        measure(FileDoor.batches(perBatchFile(messages)), 0, 8, messages, warmup(30_000), XMX);
    }

    @Test
    void batchFiles300ms() throws Exception {
        int messages = messages(20_000);
        measure(FileDoor.batches(perBatchFile(messages)), 300, 256, messages, warmup(10_000), XMX);
    }

    // --- HTTP ----------------------------------------------------------------------------------------------------

    @Test
    void httpZeroLatency8Clients() throws Exception {
        measure(new HttpDoor(8, 1, TIMEOUT), 0, 8, messages(10_000), warmup(30_000), XMX);
    }

    @Test
    void httpZeroLatency64Clients() throws Exception {
        measure(new HttpDoor(64, 1, TIMEOUT), 0, 8, messages(10_000), warmup(30_000), XMX);
    }

    @Test
    void http300ms8Clients() throws Exception {
        measure(new HttpDoor(8, 1, TIMEOUT), 300, 256, messages(20_000), warmup(10_000), XMX);
    }

    @Test
    void http300ms64Clients() throws Exception {
        measure(new HttpDoor(64, 1, TIMEOUT), 300, 256, messages(20_000), warmup(10_000), XMX);
    }

    @Test
    void httpBatchesZeroLatency() throws Exception {
        measure(new HttpDoor(Integer.getInteger("bench.http.batch.clients", 8), Integer.getInteger("bench.http.batch", 100), TIMEOUT), 0, 8,
                messages(10_000), warmup(30_000), XMX);
    }

    @Test
    void httpBatches300ms() throws Exception {
        measure(new HttpDoor(Integer.getInteger("bench.http.batch.clients", 8), Integer.getInteger("bench.http.batch", 100), TIMEOUT), 300, 256,
                messages(20_000), warmup(10_000), XMX);
    }

    // --- legacy database poller (0 ms) ---------------------------------------------------------------------------

    @Test
    void pollerH2() throws Exception {
        Path dir = Files.createDirectories(WORK.resolve("h2-legacy-" + stamp()));
        measure(PollerDoor.h2(dir, pollerBatch(), pollerDelay()), 0, 8, messages(10_000), warmup(30_000), XMX);
    }

    @Test
    void pollerPostgres() throws Exception {
        measure(PollerDoor.postgresql(pollerBatch(), pollerDelay()), 0, 8, messages(10_000), warmup(30_000), XMX);
    }

    @Test
    void pollerMariaDb() throws Exception {
        measure(PollerDoor.mariadb(pollerBatch(), pollerDelay()), 0, 8, messages(10_000), warmup(30_000), XMX);
    }

    // --- mail (0 ms) ---------------------------------------------------------------------------------------------

    @Test
    void mailImap() throws Exception {
        measure(new MailDoor(), 0, 8, Integer.getInteger("bench.mails", Integer.getInteger("bench.messages", 500)), warmup(100), XMX);
    }

    // --- one file at a time --------------------------------------------------------------------------------------

    /** An idle gateway (0 ms stand-in): one file dropped (renamed in) at a time; drop -> the stand-in received it. */
    @Test
    void singleFileLatency() throws Exception {
        int drops = Integer.getInteger("bench.latency.files", 50);
        int warmup = Integer.getInteger("bench.latency.warmup", 10);
        Path home = WORK.resolve("single-file-latency-" + stamp());
        try (StandInProcess standIn = StandInProcess.start(0, Integer.getInteger("bench.standin.threads", 4), home)) {
            int port = TestGateway.freePort();
            ForkedGateway fork = startGateway(home, port, gatewayProperties(standIn, 8, Map.of()), XMX);
            try {
                Door.Gateway gateway = new Door.Gateway(home, port);
                FileDoor door = FileDoor.singles();
                if (warmup > 0) {
                    Messages warm = new Messages(true, 0, warmup, CONTACTS);
                    door.prepare(gateway, warm);
                    door.handOver(gateway, warm, new long[warmup]);
                    awaitOrFail(standIn, warmup, "warm-up", home);
                }
                Thread.sleep(1000);
                standIn.reset();
                Messages items = new Messages(false, 0, drops, CONTACTS);
                long[] received = new long[drops];
                long[] sent = new long[drops];
                for (int i = 0; i < drops; i++) {
                    Runnable drop = FileDoor.stageOne(gateway, items, i);
                    long t = System.nanoTime();
                    drop.run();
                    long deadline = t + TIMEOUT.toNanos();
                    StandInProcess.Arrival a;
                    while ((a = standIn.arrival(items.key(i))) == null || a.answerNanos() == 0) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("file " + items.id(i) + " did not reach the stand-in within " + TIMEOUT + "\n" + tail(home));
                        }
                        Thread.sleep(20);
                    }
                    received[i] = a.arrivalNanos() - t;
                    sent[i] = a.answerNanos() - t;
                    Thread.sleep(100);
                }
                StandInProcess.Stats stats = standIn.stats();
                String block = String.format(Locale.ROOT, "%n== single file drop -> provider, idle gateway, 0 ms, %d files one at a time ==%n"
                                + "drop->received : p50 %.0f ms  p95 %.0f ms  max %.0f ms%n"
                                + "drop->SENT     : p50 %.0f ms  p95 %.0f ms  max %.0f ms%n"
                                + "  (gateway -Xmx%s, warm-up %d files; stand-in calls %d, duplicates %d; %d cores; %s)%n",
                        drops, pct(received, 50), pct(received, 95), pct(received, 100), pct(sent, 50), pct(sent, 95), pct(sent, 100), XMX, warmup,
                        stats.calls(), stats.duplicates(), Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
                report(block);
                assertThat(stats.duplicates()).as("calls the stand-in received twice").isZero();
                assertThat(stats.calls()).as("calls the stand-in received").isEqualTo(drops);
            } finally {
                fork.close();
            }
        }
        keepOnlyLogs(home);
    }

    // --- the measurement -----------------------------------------------------------------------------------------

    private record GatewayFigures(int messages, double seconds, double handOverSeconds, ProcWatch.Figures proc, double p50Ms, double p95Ms,
                                  int maxInFlight, long standInCpuMs, double benchCpuMs) {
        double rate() {
            return messages / seconds;
        }

        double cpuMsPerMessage() {
            return proc.cpuMs() / messages;
        }
    }

    private static void measure(Door door, long latency, int concurrency, int messages, int warmup, String xmx) throws Exception {
        String title = door.describe(messages) + ", " + latency + " ms, " + concurrency + " in flight" + (xmx.equals(XMX) ? "" : ", gateway -Xmx" + xmx);
        Path home = WORK.resolve(slug(title) + "-" + stamp());
        System.out.printf("%n-- %s: stand-in, bare loop, then the gateway in %s%n", title, home);
        try (door; StandInProcess standIn = StandInProcess.start(latency, Integer.getInteger("bench.standin.threads", 4), home)) {
            BareLoop.Figures bare;
            try (BareLoop loop = new BareLoop(standIn, concurrency)) {
                if (warmup > 0) {
                    loop.run(new Messages(true, 0, warmup, CONTACTS), TIMEOUT);
                }
                bare = loop.run(new Messages(false, 0, messages, CONTACTS), TIMEOUT);
            }
            System.out.printf("bare loop done: %.0f msg/s%n", bare.rate());
            String floor = "";
            if (door instanceof MailDoor mail) {
                // the mail server's own limit: a plain IMAP client reading the same number of mails from it
                floor = String.format(Locale.ROOT, "mail floor: %8.0f mails/s  (a plain IMAP client reading and flagging %d mails from the same "
                        + "GreenMail: the mail server's limit)%n", mail.floor(new Messages(false, 0, messages, CONTACTS)), messages);
            }
            standIn.reset();
            GatewayFigures gateway;
            try {
                gateway = gateway(door, standIn, home, concurrency, messages, warmup, xmx);
            } catch (Exception | Error e) {
                report(header(title) + bareLine(bare) + String.format(Locale.ROOT, "gateway   : FAILED %s%n", firstLine(e)));
                throw e;
            }
            StringBuilder block = new StringBuilder(header(title)).append(bareLine(bare));
            block.append(String.format(Locale.ROOT, "gateway   : %8.0f msg/s  %6.3f CPU-ms/msg  peak RSS %d MB  peak heap %d MB  p50 drop->SENT %.0f ms%n",
                    gateway.rate(), gateway.cpuMsPerMessage(), gateway.proc().peakRssMb(), gateway.proc().peakHeapMb(), gateway.p50Ms()));
            block.append(String.format(Locale.ROOT, "ratio     : %.2f of the bare loop%n", gateway.rate() / bare.rate()));
            block.append(floor);
            block.append(String.format(Locale.ROOT, "  (gateway -Xmx%s, its store H2 in its home: %d sent in %.2f s, handover took %.2f s, p95 drop->SENT %.0f ms; most calls in flight "
                            + "at the stand-in: gateway %d, bare %d; heap after GC at most %d MB (%d GCs in the window); peak RSS from %s; "
                            + "warm-up %d each; CPU in the window: stand-in %d ms, bench JVM (the door's client/server side) %.0f ms; %d cores; %s)%n",
                    xmx, messages, gateway.seconds(), gateway.handOverSeconds(), gateway.p95Ms(), gateway.maxInFlight(), bare.maxInFlight(),
                    gateway.proc().maxAfterGcMb(), gateway.proc().collections(), gateway.proc().hwmReset() ? "VmHWM (reset at start) and VmRSS samples" : "VmRSS samples",
                    warmup, gateway.standInCpuMs(), gateway.benchCpuMs(), Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            report(block.toString());
        }
        keepOnlyLogs(home);
    }

    /** After a case that passed: its gateway's data (result files, store; 300 MB for 15,000 files) goes, its logs stay. */
    private static void keepOnlyLogs(Path home) throws IOException {
        if (Boolean.getBoolean("bench.keep-data") || !Files.isDirectory(home.resolve("data"))) {
            return;
        }
        try (var files = Files.walk(home.resolve("data"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static GatewayFigures gateway(Door door, StandInProcess standIn, Path home, int concurrency, int messages, int warmup, String xmx)
            throws Exception {
        int port = TestGateway.freePort();
        ForkedGateway fork = startGateway(home, port, gatewayProperties(standIn, concurrency, door.properties()), xmx);
        try {
            Door.Gateway gateway = new Door.Gateway(home, port);
            if (warmup > 0) {
                Messages warm = new Messages(true, 0, warmup, CONTACTS);
                door.prepare(gateway, warm);
                door.handOver(gateway, warm, new long[warmup]);
                awaitOrFail(standIn, warmup, "warm-up", home);
            }
            // the warm-up's last outcomes and result files are written; then a clean heap and a clean count
            Thread.sleep(1000);
            ProcWatch.gc(fork.pid());
            standIn.reset();
            Messages timed = new Messages(false, 0, messages, CONTACTS);
            door.prepare(gateway, timed);
            long[] at = new long[messages];
            long standInCpu0 = standIn.stats().cpuMs();
            long benchCpu0 = BareLoop.cpu();
            ProcWatch watch = new ProcWatch(fork.pid(), home.resolve("gc.log"));
            profiler(fork.pid(), "start,event=cpu,interval=1ms");
            long h0 = System.nanoTime();
            door.handOver(gateway, timed, at);
            long h1 = System.nanoTime();
            // every 100 ms: the end time is the stand-in's own (its last answer), polling more often would only take CPU from the gateway
            boolean done = standIn.awaitAnswered(messages, TIMEOUT, 100);
            ProcWatch.Figures proc = watch.stop();
            profiler(fork.pid(), "stop,collapsed,file=" + home.resolve("profile.collapsed"));
            double benchCpuMs = (BareLoop.cpu() - benchCpu0) / 1e6;
            StandInProcess.Stats stats = standIn.stats();
            if (!done) {
                throw new AssertionError("timed run: the stand-in answered " + stats.answered() + " of " + messages + " calls within " + TIMEOUT
                        + " (" + stats + ")\n" + tail(home));
            }
            long t0 = Arrays.stream(at).min().orElse(h0);
            double seconds = (stats.lastAnswerNanos() - t0) / 1e9;
            Thread.sleep(Long.getLong("bench.settle-ms", 1000));
            StandInProcess.Stats settled = standIn.stats();
            Map<String, StandInProcess.Arrival> arrivals = standIn.arrivals();
            long[] latencies = new long[messages];
            for (int i = 0; i < messages; i++) {
                StandInProcess.Arrival a = arrivals.get(timed.key(i));
                latencies[i] = a == null ? Long.MAX_VALUE : a.answerNanos() - at[i];
            }
            assertThat(settled.duplicates()).as("calls the stand-in received more than once").isZero();
            assertThat(settled.calls()).as("calls the stand-in received").isEqualTo(messages);
            assertThat(settled.keys()).as("distinct messages the stand-in received").isEqualTo(messages);
            return new GatewayFigures(messages, seconds, (h1 - h0) / 1e9, proc, pct(latencies, 50), pct(latencies, 95), stats.maxInFlight(),
                    stats.cpuMs() - standInCpu0, benchCpuMs);
        } finally {
            fork.close();
        }
    }

    private static Map<String, String> gatewayProperties(StandInProcess standIn, int concurrency, Map<String, String> door) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("gateway.provider.api-key", Messages.API_KEY);
        p.put("gateway.sandbox.enabled", "false");
        p.put("gateway.provider.base-url", standIn.baseUrl());
        p.put("gateway.dispatch.concurrency", Integer.toString(concurrency));
        p.put("gateway.dispatch.rate-per-second", "100000");
        p.putAll(door);
        return p;
    }

    /** The gateway in its own JVM (heap {@code xmx}, GC log in its home); a fork that did not come up is ended. */
    /**
     * With {@code -Dbench.profiler=<path of libasyncProfiler.so>} (Maven Central's tools.profiler:async-profiler jar holds
     * it), samples the gateway's CPU during the timed window only, loaded with jcmd: {@code <home>/profile.collapsed}.
     */
    private static void profiler(long pid, String command) throws IOException, InterruptedException {
        String library = System.getProperty("bench.profiler");
        if (library == null || library.isBlank()) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load", library, "\"" + command + "\"")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || out.contains("ERROR")) {
            System.out.println("profiler " + command + ": " + out);
        }
    }

    private static ForkedGateway startGateway(Path home, int port, Map<String, String> properties, String xmx) throws IOException {
        Files.createDirectories(home);
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + xmx, "-Xlog:gc:file=" + home.resolve("gc.log")));
        // -Dbench.jvm="-XX:+PrintCompilation ..." adds options to the gateway's JVM (space-separated)
        String extra = System.getProperty("bench.jvm", "").trim();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        try {
            return ForkedGateway.start(home, port, properties, "gateway.log", jvm);
        } catch (RuntimeException | Error e) {
            // ForkedGateway.start leaves the process running when it never became healthy: end the one this bench started
            ProcessHandle.current().children().filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            throw e;
        }
    }

    private static void awaitOrFail(StandInProcess standIn, int count, String what, Path home) throws InterruptedException {
        if (!standIn.awaitAnswered(count, TIMEOUT, 200)) {
            throw new AssertionError(what + ": the stand-in answered " + standIn.stats().answered() + " of " + count + " calls within " + TIMEOUT
                    + "\n" + tail(home));
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static int messages(int defaultCount) {
        return Integer.getInteger("bench.messages", defaultCount);
    }

    /**
     * Untimed messages first, through the same door: at 0 ms the JIT compiler still takes a fifth of the CPU after 5,000
     * (async-profiler, CompileBroker), so 0 ms cases warm up with 30,000 and 300 ms ones with 10,000 (-Dbench.warmup).
     */
    private static int warmup(int defaultCount) {
        return Integer.getInteger("bench.warmup", defaultCount);
    }

    /** 20 batch files (-Dbench.batch.files) share the messages: 1,000 items each for 20,000. */
    private static int perBatchFile(int messages) {
        int files = Integer.getInteger("bench.batch.files", 20);
        return Math.max(1, (messages + files - 1) / files);
    }

    private static int pollerBatch() {
        return Integer.getInteger("bench.poller.batch", 500);
    }

    private static int pollerDelay() {
        return Integer.getInteger("bench.poller.delay-ms", 100);
    }

    /** The p-th percentile, in ms, of nanosecond durations (Long.MAX_VALUE: not measured). */
    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1));
        return sorted[index] == Long.MAX_VALUE ? Double.NaN : sorted[index] / 1e6;
    }

    private static String header(String title) {
        return String.format(Locale.ROOT, "%n== %s ==%n", title);
    }

    private static String bareLine(BareLoop.Figures bare) {
        return String.format(Locale.ROOT, "bare loop : %8.0f msg/s  %6.3f CPU-ms/msg%n", bare.rate(), bare.cpuMsPerMessage());
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    private static synchronized void report(String block) throws IOException {
        System.out.print(block);
        System.out.flush();
        Files.createDirectories(OUT.toAbsolutePath().getParent());
        Files.writeString(OUT, block, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static String stamp() {
        return Long.toString(System.currentTimeMillis(), 36);
    }

    /** The last 40 lines of the gateway's log. */
    private static String tail(Path home) {
        Path log = home.resolve("gateway.log");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 16_384);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return "gateway log (" + log + "), last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no gateway log: " + e + ")";
        }
    }
}
