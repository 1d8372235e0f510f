package com.buttonsgateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches another process (the forked gateway) over a timed window, from Linux's /proc:
 * <ul>
 * <li>CPU: utime + stime of {@code /proc/<pid>/stat} (clock ticks, {@code getconf CLK_TCK}) at the start and the end;</li>
 * <li>peak RSS: VmRSS of {@code /proc/<pid>/status} sampled every 100 ms, and VmHWM after resetting it at the start
 * ({@code echo 5 > /proc/<pid>/clear_refs}, Linux 4.0+); the larger of the two;</li>
 * <li>peak heap: the JVM's own GC log ({@code -Xlog:gc:file=...}, one line per collection with used before -> after
 * (committed)): the largest "before" of the collections in the window, and the heap in use at the end ({@code jcmd <pid>
 * GC.heap_info}, once, after the window) when that is larger.</li>
 * </ul>
 */
final class ProcWatch {

    private static final long CLK_TCK = clockTicks();
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    record Figures(double cpuMs, long peakRssMb, boolean hwmReset, long peakHeapMb, long maxAfterGcMb, int collections) {
    }

    private final long pid;
    private final Path gcLog;
    private final long cpuTicks0;
    private final long gcLogOffset;
    private final boolean hwmReset;
    private final AtomicLong maxRssKb = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });
    private long cpuTicks1 = -1;

    /** Starts the window now. */
    ProcWatch(long pid, Path gcLog) {
        this.pid = pid;
        this.gcLog = gcLog;
        this.gcLogOffset = size(gcLog);
        this.hwmReset = resetHighWaterMark(pid);
        sampler.scheduleAtFixedRate(() -> maxRssKb.accumulateAndGet(statusKb(pid, "VmRSS"), Math::max), 0, 100, TimeUnit.MILLISECONDS);
        this.cpuTicks0 = cpuTicks(pid);
    }

    /** Ends the window: CPU now; RSS and heap figures (reading the heap in use costs a jcmd, after the window). */
    Figures stop() {
        cpuTicks1 = cpuTicks(pid);
        sampler.shutdownNow();
        long rss = Math.max(maxRssKb.get(), statusKb(pid, "VmRSS"));
        if (hwmReset) {
            rss = Math.max(rss, statusKb(pid, "VmHWM"));
        }
        long maxBefore = 0;
        long maxAfter = 0;
        int collections = 0;
        for (String line : gcLines()) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                collections++;
                maxBefore = Math.max(maxBefore, bytes(m.group(1), m.group(2)));
                maxAfter = Math.max(maxAfter, bytes(m.group(3), m.group(4)));
            }
        }
        long inUse = heapInUse(pid);
        return new Figures((cpuTicks1 - cpuTicks0) * 1000.0 / CLK_TCK, rss >> 10, hwmReset, Math.max(maxBefore, inUse) >> 20, maxAfter >> 20,
                collections);
    }

    private java.util.List<String> gcLines() {
        try {
            byte[] all = Files.readAllBytes(gcLog);
            int from = (int) Math.min(gcLogOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return java.util.List.of();
        }
    }

    private static long bytes(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "K" -> v << 10;
            case "M" -> v << 20;
            default -> v << 30;
        };
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // after "pid (comm) ": state is field 3, utime 14, stime 15; comm may hold spaces, so count from its ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat (the process exited?)", e);
        }
    }

    /** A "Vm...: N kB" line of /proc/<pid>/status, in kB (0 when the process is gone). */
    static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private static boolean resetHighWaterMark(long pid) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A full collection in the other JVM ({@code jcmd <pid> GC.run}), so every window starts from a clean heap. */
    static void gc(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no clean heap then
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap in use now, from {@code jcmd <pid> GC.heap_info} ("... total NK, used NK" per heap or generation). */
    static long heapInUse(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher g1 = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K").matcher(out);
            if (g1.find()) {
                return Long.parseLong(g1.group(1)) << 10;
            }
            long sum = 0;
            Matcher gen = Pattern.compile("(?m)^\\s*(def new generation|tenured generation|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K").matcher(out);
            while (gen.find()) {
                sum += Long.parseLong(gen.group(2)) << 10;
            }
            return sum;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
