package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route the user writes (SPEC 4.5): the README's example, copied as printed into the routes folder of a
 * running gateway, is loaded by live reload and hands its items to direct:accept-request. No Java, no restart.
 */
class UserRouteLiveReloadTest {

    @Test
    void theReadmeExampleRouteIsPickedUpLiveAndWorks() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-reload-").toAbsolutePath();
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path route : files.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (TestGateway gateway = TestGateway.start(home, TestGateway.freePort(), Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                "camel.main.routes-reload-enabled", "true",
                "camel.main.routes-reload-directory", routes.toString()))) {
            String readme = Files.readString(Path.of("README.md"));
            Matcher example = Pattern.compile("<!-- user-route-example: ([\\w.-]+) -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
            assertThat(example.find()).as("README has the user route example").isTrue();
            Path tmp = home.resolve("example.tmp");
            Files.writeString(tmp, example.group(2));
            Files.move(tmp, routes.resolve(example.group(1)));

            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.context().getRoute("intake-partner") != null);
            Path partnerInbox = Files.createDirectories(home.resolve("data/partner-inbox"));
            Path drop = home.resolve("p.tmp");
            Files.writeString(drop, "{\"id\": \"partner-1\", \"to\": \"972507780001\", \"body\": \"from the partner\", \"button1\": \"OK\", "
                    + "\"template\": {\"name\": \"t\"}}");
            Files.move(drop, partnerInbox.resolve("p1.json"));
            JsonNode result = gateway.awaitResult("partner-1");
            assertThat(result.path("status").asText()).isEqualTo("SENT");
            assertThat(result.path("source").asText()).isEqualTo("partner:p1.json");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(partnerInbox.resolve(".done/p1.json")));
        }
    }
}
