package com.buttonsgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;

/** Starts {@link StandIn} in a JVM of its own and reads its counters over HTTP; {@link #close()} destroys the process. */
final class StandInProcess implements AutoCloseable {

    /** The stand-in's counters of the current round (since the last reset). */
    record Stats(long calls, long answered, long duplicates, int inFlight, int maxInFlight, long keys, long firstArrivalNanos,
                 long lastArrivalNanos, long lastAnswerNanos, long nowNanos, long cpuMs) {
    }

    /** When the stand-in first received the call with this key, and when it answered it (System.nanoTime()). */
    record Arrival(long arrivalNanos, long answerNanos, int count) {
    }

    private final Process process;
    private final Path log;
    private final int port;
    private final long latencyMillis;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private StandInProcess(Process process, Path log, int port, long latencyMillis) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.latencyMillis = latencyMillis;
    }

    static StandInProcess start(long latencyMillis, int threads, Path dir) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("standin-" + latencyMillis + "ms.log");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m",
                    "-Dsun.net.httpserver.nodelay=true", "-Dsun.net.httpserver.maxIdleConnections=2048",
                    "-cp", System.getProperty("java.class.path"), StandIn.class.getName(), "0", Long.toString(latencyMillis),
                    Integer.toString(threads));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Pattern ready = Pattern.compile("STANDIN READY port=(\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Matcher m = ready.matcher(Files.readString(log));
                if (m.find()) {
                    StandInProcess standIn = new StandInProcess(process, log, Integer.parseInt(m.group(1)), latencyMillis);
                    standIn.checkClock();
                    return standIn;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the stand-in exited at start:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("the stand-in did not start in 30 s:\n" + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bench compares its own System.nanoTime() with the stand-in's: make sure they share one clock. */
    private void checkClock() {
        long before = System.nanoTime();
        long theirs = stats().nowNanos();
        long after = System.nanoTime();
        if (theirs < before || theirs > after) {
            throw new IllegalStateException("System.nanoTime() differs between this JVM and the stand-in's (" + before + " .. " + after
                    + " vs " + theirs + "): the bench's timing needs one monotonic clock on the machine");
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/whatsapp/v2";
    }

    long latencyMillis() {
        return latencyMillis;
    }

    long pid() {
        return process.pid();
    }

    Stats stats() {
        JsonNode j = json(get("/stats"));
        return new Stats(j.path("calls").asLong(), j.path("answered").asLong(), j.path("duplicates").asLong(), j.path("inFlight").asInt(),
                j.path("maxInFlight").asInt(), j.path("keys").asLong(), j.path("firstArrivalNanos").asLong(), j.path("lastArrivalNanos").asLong(),
                j.path("lastAnswerNanos").asLong(), j.path("nowNanos").asLong(), j.path("cpuMs").asLong());
    }

    void reset() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("stand-in reset: HTTP " + r.statusCode());
        }
    }

    /** The arrival of one key, or null when the stand-in has not received it (since the last reset). */
    Arrival arrival(String key) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/arrival?key="
                + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build());
        if (r.statusCode() == 404) {
            return null;
        }
        String[] f = r.body().trim().split(" ");
        return new Arrival(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]));
    }

    /** Every key received since the last reset. */
    Map<String, Arrival> arrivals() {
        Map<String, Arrival> all = new HashMap<>();
        for (String line : get("/arrivals").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            all.put(f[0], new Arrival(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3])));
        }
        return all;
    }

    /** Waits until the stand-in answered {@code count} calls of this round; false on timeout. */
    boolean awaitAnswered(long count, Duration timeout, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stats().answered() >= count) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the stand-in died:\n" + tail());
            }
            Thread.sleep(pollMillis);
        }
        return false;
    }

    String tail() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String get(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("stand-in " + path + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("stand-in not answering (" + (process.isAlive() ? "alive" : "exited") + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return TestGateway.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
