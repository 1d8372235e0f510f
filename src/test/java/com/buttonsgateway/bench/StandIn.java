package com.buttonsgateway.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The provider stand-in of {@link IntakeBench}, meant to run in a JVM of its own (so its CPU is neither the gateway's nor
 * the bench's): {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dsun.net.httpserver.nodelay=true -cp <test
 * classpath> com.buttonsgateway.bench.StandIn <port|0> <latencyMs> [threads]}. Prints {@code STANDIN READY port=<n>} once
 * it listens on 127.0.0.1.
 *
 * <p>Every POST to {@code /whatsapp/v2/sendButtons} or {@code /whatsapp/v2/sendTemplate} is answered 200 with the
 * provider's OK JSON after the latency; the answer is scheduled on a timer, no thread waits for it (the exchange is
 * completed later). Each call is keyed by its {@code bodyVariable1} (a template) or else its {@code body} (buttons):
 * a key seen before counts as a duplicate.
 *
 * <p>Control: {@code GET /stats} (JSON: calls, answered, duplicates, inFlight, maxInFlight, firstArrivalNanos,
 * lastArrivalNanos, lastAnswerNanos, nowNanos, cpuMs), {@code POST /reset}, {@code GET /arrival?key=k} ({@code
 * <arrivalNanos> <answerNanos> <count>}, 404 when not seen) and {@code GET /arrivals} (one line per key: {@code key
 * arrivalNanos answerNanos count}). Times are {@code System.nanoTime()}, which on Linux is CLOCK_MONOTONIC and so
 * comparable between JVMs on one machine ({@link StandInProcess} checks it).
 */
public final class StandIn {

    /** Counters of one measurement; {@code /reset} replaces them, so a late call of before cannot leak into the next. */
    private static final class Round {
        final LongAdder calls = new LongAdder();
        final LongAdder answered = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicLong firstArrival = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastArrival = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
        final Map<String, Entry> byKey = new ConcurrentHashMap<>(1 << 16);
    }

    private static final class Entry {
        final AtomicInteger count = new AtomicInteger();
        volatile long arrival;
        volatile long answer;
    }

    private final long latencyMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong unique = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "standin-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile Round round = new Round();

    private StandIn(long latencyMillis) {
        this.latencyMillis = latencyMillis;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long latency = Long.parseLong(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        StandIn standIn = new StandIn(latency);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 2048);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/whatsapp/v2/sendButtons", standIn::send);
        server.createContext("/whatsapp/v2/sendTemplate", standIn::send);
        server.createContext("/stats", standIn::stats);
        server.createContext("/reset", standIn::reset);
        server.createContext("/arrival", standIn::arrival);
        server.createContext("/arrivals", standIn::arrivals);
        server.start();
        System.out.println("STANDIN READY port=" + server.getAddress().getPort() + " latency=" + latency + "ms threads=" + threads);
        System.out.flush();
    }

    private void send(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{\"status\":\"FAIL\",\"reason\":2}");
            return;
        }
        String json = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        long now = System.nanoTime();
        Round r = round;
        String key = field(json, "bodyVariable1");
        if (key == null) {
            key = field(json, "body");
        }
        String to = field(json, "to");
        String from = field(json, "from");
        r.calls.increment();
        r.firstArrival.accumulateAndGet(now, Math::min);
        r.lastArrival.accumulateAndGet(now, Math::max);
        r.maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Entry entry = r.byKey.computeIfAbsent(key == null ? "" : key, k -> new Entry());
        if (entry.count.incrementAndGet() > 1) {
            r.duplicates.increment();
        } else {
            entry.arrival = now;
        }
        String ok = "{\"status\":\"OK\",\"unique\":\"SI" + unique.incrementAndGet() + "\",\"timestamp\":" + (System.currentTimeMillis() / 1000)
                + ",\"from\":\"" + (from == null ? "" : from) + "\",\"to\":\"" + (to == null ? "" : to)
                + "\",\"templateTimeLeft\":\"0\",\"reason\":1}";
        Runnable answer = () -> {
            // counted before the answer goes out: a caller that got it may send its next call at once
            long done = System.nanoTime();
            if (entry.answer == 0) {
                entry.answer = done;
            }
            inFlight.decrementAndGet();
            r.lastAnswer.accumulateAndGet(done, Math::max);
            r.answered.increment();
            try {
                answer(exchange, 200, ok);
            } catch (IOException e) {
                // the caller gave up: nothing to answer
            }
        };
        // always from the timer, 0 ms included: no thread waits for an answer, and the hop is the same at any latency
        timer.schedule(answer, latencyMillis, TimeUnit.MILLISECONDS);
    }

    private void stats(HttpExchange exchange) throws IOException {
        Round r = round;
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
        answer(exchange, 200, "{\"calls\":" + r.calls.sum() + ",\"answered\":" + r.answered.sum() + ",\"duplicates\":" + r.duplicates.sum()
                + ",\"inFlight\":" + inFlight.get() + ",\"maxInFlight\":" + r.maxInFlight.get() + ",\"keys\":" + r.byKey.size()
                + ",\"firstArrivalNanos\":" + r.firstArrival.get() + ",\"lastArrivalNanos\":" + r.lastArrival.get()
                + ",\"lastAnswerNanos\":" + r.lastAnswer.get() + ",\"nowNanos\":" + System.nanoTime() + ",\"cpuMs\":" + cpuMs + "}");
    }

    private void reset(HttpExchange exchange) throws IOException {
        round = new Round();
        answer(exchange, 200, "{\"reset\":true}");
    }

    private void arrival(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String key = query != null && query.startsWith("key=") ? java.net.URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8) : "";
        Entry e = round.byKey.get(key);
        if (e == null) {
            answer(exchange, 404, "");
        } else {
            answer(exchange, 200, e.arrival + " " + e.answer + " " + e.count.get());
        }
    }

    private void arrivals(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder();
        round.byKey.forEach((k, e) -> text.append(k).append(' ').append(e.arrival).append(' ').append(e.answer).append(' ')
                .append(e.count.get()).append('\n'));
        answer(exchange, 200, text.toString());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 && body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    /** The string value of a top-level JSON field, as the gateway's Jackson writes it (no nesting, simple escapes). */
    static String field(String json, String name) {
        String quoted = "\"" + name + "\"";
        int at = json.indexOf(quoted);
        while (at >= 0) {
            int i = at + quoted.length();
            while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
                i++;
            }
            if (i < json.length() && json.charAt(i) == ':') {
                i++;
                while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
                    i++;
                }
                if (i < json.length() && json.charAt(i) == '"') {
                    StringBuilder value = new StringBuilder();
                    for (int j = i + 1; j < json.length(); j++) {
                        char c = json.charAt(j);
                        if (c == '\\' && j + 1 < json.length()) {
                            value.append(json.charAt(++j));
                        } else if (c == '"') {
                            return value.toString();
                        } else {
                            value.append(c);
                        }
                    }
                }
                return null;
            }
            at = json.indexOf(quoted, at + 1);
        }
        return null;
    }
}
