package com.buttonsgateway.flow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command as a user runs it (SPEC 1): {@code java -jar target/whatsapp-buttons-gateway.jar} from a
 * folder holding application.properties and routes/, with only the jar's own classpath. A file dropped ends SENT.
 * Runs in failsafe's integration-test phase, after the jar is built.
 */
class PackagedJarIT {

    @Test
    void theJarStartsFromItsFolderAndSendsADroppedFile() throws Exception {
        Path jar = Path.of("target/whatsapp-buttons-gateway.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path home = Files.createTempDirectory(Path.of("target"), "gw-jar-").toAbsolutePath();
        Files.copy(Path.of("application.properties"), home.resolve("application.properties"));
        Files.createDirectories(home.resolve("routes"));
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, home.resolve("routes").resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int port = TestGateway.freePort();
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcamel.server.port=" + port, "-jar", jar.toString()))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("gateway.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the jar exited:\n" + Files.readString(home.resolve("gateway.log")));
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertThat(Files.readString(home.resolve("gateway.log"))).contains("drop request files (*.json) into")
                    .contains("PROVIDER: SANDBOX");
            Path tmp = home.resolve("order.tmp");
            Files.writeString(tmp, "{\"id\": \"jar-1\", \"to\": \"+972 50-123-4567\", \"body\": \"Ready?\", \"button1\": \"Yes\", "
                    + "\"template\": {\"name\": \"order_ready\"}}");
            Files.move(tmp, home.resolve("data/inbox/order.json"));
            Path result = home.resolve("data/results/jar-1.json");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(result));
            assertThat(TestGateway.readJson(result).path("status").asText()).isEqualTo("SENT");
        } finally {
            process.destroy();
            process.waitFor();
        }
    }
}
