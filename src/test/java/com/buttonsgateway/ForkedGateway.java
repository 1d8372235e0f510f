package com.buttonsgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The gateway in a JVM of its own, started as {@code java com.buttonsgateway.App -D...} from the project root, so a
 * test can kill it abruptly ({@code kill -9}) and read everything it logged.
 */
public final class ForkedGateway implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private ForkedGateway(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static ForkedGateway start(Path home, int port, Map<String, String> properties, String logName) {
        return start(home, port, properties, logName, List.of());
    }

    /**
     * As {@link #start(Path, int, Map, String)}, with extra options for the gateway's JVM (before the main class), e.g.
     * {@code -Xmx1g} or {@code -Xlog:gc:file=...}. The default {@code -Xmx256m} applies unless an {@code -Xmx} is given.
     */
    public static ForkedGateway start(Path home, int port, Map<String, String> properties, String logName, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            command.add("-Xmx256m");
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        TestGateway.defaults(home, port).forEach((k, v) -> {
            if (!k.equals("camel.main.routes-include-pattern")) {
                command.add("-D" + k + "=" + v);
            }
        });
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(App.class.getName());
        try {
            Files.createDirectories(home.resolve("routes"));
            // a deployment of its own: <gateway.home>/routes holds a copy of the project's routes
            try (var routes = Files.list(Path.of("routes"))) {
                for (Path route : routes.toList()) {
                    Files.copy(route, home.resolve("routes").resolve(route.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path log = home.resolve(logName);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ForkedGateway gateway = new ForkedGateway(process, log, port);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the gateway exited at start:\n" + Files.readString(log));
                }
                return gateway.healthy();
            });
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean healthy() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no graceful stop, as a crash or {@code kill -9}. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The gateway process's id (for /proc/<pid>/stat and the like). */
    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
