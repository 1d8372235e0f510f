package com.buttonsgateway.flow;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API key given with -D reaches the provider in the request body and nowhere else (issues 3 and 5, SPEC 1, 7):
 * a full send, retry, dead-letter and replay cycle, then every log line, every file under the home (results,
 * dead letters, the H2 store) and every HTTP answer is searched for it.
 */
class SecretsTest {

    private static final String API_KEY = "sk-live-7f3a9c1e5b2d4e6f";

    private final List<String> answers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiKeyTravelsToTheSandboxAndAppearsInNoLogNoFileAndNoAnswer() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-secrets-").toAbsolutePath();
        int port = TestGateway.freePort();
        Path results = home.resolve("data/results");
        try (ForkedGateway gateway = ForkedGateway.start(home, port, Map.of("gateway.provider.api-key", API_KEY,
                "gateway.sandbox.enabled", "true", "gateway.retry.max-attempts", "2"), "gateway.log")) {
            String admin = secrets(home).getProperty("gateway.admin.token");
            drop(home, "secret.json", "{\"id\": \"secret-1\", \"to\": \"972503330001\", \"body\": \"hello\", \"button1\": \"OK\", "
                    + "\"template\": {\"name\": \"welcome\"}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(results.resolve("secret-1.json")));
            // the sandbox expects this key (reason 3 otherwise): SENT proves the key travelled in the body
            assertThat(TestGateway.readJson(results.resolve("secret-1.json")).path("status").asText()).isEqualTo("SENT");

            // an open window and showRequest: 1: the provider's echo of the request is kept in the result, without the key
            post(port, "/sandbox/inbound", "{\"from\": \"972503330004\", \"body\": \"hi\"}", null);
            drop(home, "secret3.json", "{\"id\": \"secret-3\", \"to\": \"972503330004\", \"body\": \"echo me\", "
                    + "\"button1\": \"OK\", \"showRequest\": 1}");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(results.resolve("secret-3.json")));
            JsonNode echoed = TestGateway.readJson(results.resolve("secret-3.json"));
            assertThat(echoed.path("route").asText()).isEqualTo("buttons");
            assertThat(echoed.path("provider").path("request").path("body").asText()).isEqualTo("echo me");

            // retries, then the dead letter
            post(port, "/sandbox/faults", "{\"failRate\": 1.0}", null);
            drop(home, "secret2.json", "{\"id\": \"secret-2\", \"to\": \"972503330002\", \"body\": \"hello\", \"button1\": \"OK\", "
                    + "\"template\": {\"name\": \"welcome\"}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(home.resolve("data/dead-letter/secret-2.json")));
            post(port, "/sandbox/faults", "{\"failRate\": 0}", null);
            assertThat(post(port, "/api/messages/secret-2/replay", "", admin).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(
                    TestGateway.readJson(results.resolve("secret-2.json")).path("status").asText()));

            // a request that carries a key is refused without echoing it
            HttpResponse<String> refused = post(port, "/api/messages", "{\"to\": \"972503330003\", \"body\": \"b\", \"button1\": \"OK\", "
                    + "\"apiKey\": \"" + API_KEY + "\"}", admin);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("apiKey");
            get(port, "/api/messages/secret-1", admin);
            get(port, "/api/messages/secret-2", admin);
            get(port, "/api/messages?limit=10", admin);
            get(port, "/observe/health", null);
            get(port, "/observe/metrics", null);
            post(port, "/sandbox/whatsapp/v2/sendButtons", "{\"apiKey\": \"" + API_KEY + "\", \"from\": \"972771234567\", "
                    + "\"to\": \"972503330001\", \"header\": 1, \"body\": \"b\", \"button1\": \"OK\", \"showRequest\": 1}", null);
        }
        List<Path> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(API_KEY)) {
                    leaks.add(home.relativize(file));
                }
            }
        }
        assertThat(leaks).as("files (logs, results, dead letters, the H2 store) that contain the API key").isEmpty();
        assertThat(answers).as("HTTP answers").noneMatch(a -> a.contains(API_KEY)).hasSizeGreaterThan(5);
        String log = Files.readString(home.resolve("gateway.log"));
        assertThat(log).contains("SENDING->SENT").contains("->DEAD").contains("DEAD->QUEUED");
    }

    private static Properties secrets(Path home) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("data/secrets.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static void drop(Path home, String name, String content) throws IOException {
        Path tmp = home.resolve(name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, home.resolve("data/inbox").resolve(name));
    }

    private HttpResponse<String> post(int port, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        answers.add(r.headers().map() + r.body());
        return r;
    }

    private HttpResponse<String> get(int port, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        answers.add(r.headers().map() + r.body());
        return r;
    }
}
