package com.buttonsgateway.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The API key given with -D reaches the provider in the request body and nowhere else (issue 3, SPEC 1 and 7). */
class SecretsTest {

    private static final String API_KEY = "sk-live-7f3a9c1e5b2d4e6f";

    @Test
    void apiKeyTravelsToTheSandboxAndAppearsInNoLogAndNoFile() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-secrets-").toAbsolutePath();
        int port = TestGateway.freePort();
        Path inbox = home.resolve("data/inbox");
        Path results = home.resolve("data/results");
        try (ForkedGateway gateway = ForkedGateway.start(home, port,
                Map.of("gateway.provider.api-key", API_KEY, "gateway.sandbox.enabled", "true"), "gateway.log")) {
            Path tmp = home.resolve("s.tmp");
            Files.writeString(tmp, """
                    {"id": "secret-1", "to": "972503330001", "body": "hello", "button1": "OK", "template": {"name": "welcome"}}
                    """);
            Files.move(tmp, inbox.resolve("secret.json"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(results.resolve("secret-1.json")));
            // the sandbox expects this key (reason 3 otherwise): SENT proves the key travelled in the body
            assertThat(TestGateway.readJson(results.resolve("secret-1.json")).path("status").asText()).isEqualTo("SENT");
        }
        List<Path> leaks = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (contains(file, API_KEY)) {
                    leaks.add(home.relativize(file));
                }
            }
        }
        assertThat(leaks).as("files (logs, results, the H2 store) that contain the API key").isEmpty();
        assertThat(Files.readString(home.resolve("gateway.log"))).contains("SENDING->SENT");
    }

    private static boolean contains(Path file, String secret) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String latin = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        return latin.contains(secret);
    }
}
