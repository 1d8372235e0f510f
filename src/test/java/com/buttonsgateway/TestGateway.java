package com.buttonsgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import static org.awaitility.Awaitility.await;

/**
 * Starts the real gateway in this JVM, as {@code java -jar} would (application.properties and ./routes), on a free
 * port with its own home folder and an adjustable clock, so tests drive it through its real sources: files, HTTP.
 */
public final class TestGateway implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;
    private final Path home;
    private final int port;
    private final TestClock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Main main, Path home, int port, TestClock clock) {
        this.main = main;
        this.home = home;
        this.port = port;
        this.clock = clock;
    }

    /** Starts a gateway; {@code properties} override application.properties (as -D would). */
    public static TestGateway start(String name, Map<String, String> properties) {
        try {
            Path home = Files.createTempDirectory(Path.of("target"), "gw-" + name + "-").toAbsolutePath();
            return start(home, freePort(), properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a gateway with beans of the test's in its registry, as the clock is: the few seams the gateway looks up
     * (e.g. {@code mediaCheckTls}, the TLS settings that trust a test's own HTTPS server).
     */
    public static TestGateway start(String name, Map<String, String> properties, Map<String, Object> beans) {
        try {
            Path home = Files.createTempDirectory(Path.of("target"), "gw-" + name + "-").toAbsolutePath();
            return start(home, freePort(), properties, beans);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a gateway whose routes are a copy of {@code routes/} in {@code <home>/routes}, reloaded when a file there
     * changes (SPEC 9 live reload), as a user's installation runs: a test edits them there.
     */
    public static TestGateway startWithEditableRoutes(String name, Map<String, String> properties) {
        try {
            Path home = Files.createTempDirectory(Path.of("target"), "gw-" + name + "-").toAbsolutePath();
            Path routes = Files.createDirectories(home.resolve("routes"));
            try (var files = Files.list(Path.of("routes"))) {
                for (Path route : files.toList()) {
                    Files.copy(route, routes.resolve(route.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Map<String, String> all = new LinkedHashMap<>(properties);
            all.put("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
            all.put("camel.main.routes-reload-enabled", "true");
            all.put("camel.main.routes-reload-directory", routes.toString());
            return start(home, freePort(), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces a route file of {@link #startWithEditableRoutes} at once (written aside, then moved), as an editor saves it. */
    public void editRoute(String fileName, String content) {
        try {
            Path tmp = home.resolve(fileName + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, home.resolve("routes").resolve(fileName), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (or restarts) a gateway on an existing home folder. */
    public static TestGateway start(Path home, int port, Map<String, String> properties) {
        return start(home, port, properties, Map.of());
    }

    private static TestGateway start(Path home, int port, Map<String, String> properties, Map<String, Object> beans) {
        Map<String, String> all = new LinkedHashMap<>(defaults(home, port));
        all.putAll(properties);
        TestClock clock = new TestClock();
        Main main = App.newMain();
        Properties overrides = new Properties();
        overrides.putAll(all);
        main.setOverrideProperties(overrides);
        main.bind("clock", clock);
        beans.forEach(main::bind);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start", e);
        }
        TestGateway gateway = new TestGateway(main, home, port, clock);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.context() != null && gateway.context().isStarted());
        return gateway;
    }

    public static Map<String, String> defaults(Path home, int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("gateway.home", home.toString());
        p.put("camel.main.routes-include-pattern", "file:" + Path.of("routes").toAbsolutePath() + "/*.yaml");
        p.put("camel.main.routes-reload-enabled", "false");
        p.put("camel.server.port", Integer.toString(port));
        p.put("gateway.retry.initial-delay-ms", "50");
        p.put("gateway.retry.max-delay-ms", "200");
        return p;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path home() {
        return home;
    }

    public int port() {
        return port;
    }

    public TestClock clock() {
        return clock;
    }

    public Path inbox() {
        return home.resolve("data/inbox");
    }

    public Path results() {
        return home.resolve("data/results");
    }

    public Path data() {
        return home.resolve("data");
    }

    public String property(String key) {
        return context().getPropertiesComponent().resolveProperty(key).orElseThrow();
    }

    /** Drops a file into the inbox the way a well-behaved producer does: written beside, then moved in. */
    public Path drop(String fileName, String content) {
        try {
            Path tmp = home.resolve(".drop-" + fileName);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            return Files.move(tmp, inbox().resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code <results>/<id>.json} and returns it. */
    public JsonNode awaitResult(String id) {
        Path file = results().resolve(id + ".json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        return readJson(file);
    }

    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> post(String path, String body, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A contact writes in through the sandbox: the sandbox delivers the webhook to this gateway. */
    public HttpResponse<String> contactWrites(String contact, String text) {
        return post("/sandbox/inbound", "{\"from\":\"" + contact + "\",\"body\":\"" + text + "\"}", null);
    }

    @Override
    public void close() {
        main.stop();
    }

    /** A clock tests move forward instead of sleeping. */
    public static final class TestClock extends Clock {
        private final AtomicLong offsetMillis = new AtomicLong();

        public void advance(Duration by) {
            offsetMillis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(offsetMillis.get());
        }
    }
}
