package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The same id, or the same file dropped twice, is sent once, across a restart too (SPEC 3 and 7). */
class IdempotencyRestartTest {

    private static final String FILE = """
            [{"id": "again-1", "to": "972507790001", "body": "b", "button1": "OK", "template": {"name": "t"}},
             {"to": "972507790002", "body": "no id of its own", "button1": "OK", "template": {"name": "t"}}]
            """;

    @Test
    void aFileDroppedAgainAfterARestartIsNotSentAgain() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-again-").toAbsolutePath();
        int port = TestGateway.freePort();
        String derived;
        try (TestGateway first = TestGateway.start(home, port, Map.of())) {
            first.drop("again.json", FILE);
            assertThat(first.awaitResult("again-1").path("status").asText()).isEqualTo("SENT");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(first.inbox().resolve(".done/again.json")));
            try (var results = Files.list(first.results())) {
                derived = results.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("again-1-")).findFirst().orElseThrow();
            }
            Files.delete(first.inbox().resolve(".done/again.json"));
        }
        try (TestGateway second = TestGateway.start(home, port, Map.of())) {
            second.drop("again.json", FILE);
            Path duplicate = second.results().resolve("again-1.duplicate.json");
            Path derivedDuplicate = second.results().resolve(derived.replace(".json", ".duplicate.json"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(duplicate) && Files.exists(derivedDuplicate));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(second.inbox().resolve(".done/again.json")));
            SandboxProvider sandbox = second.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
            assertThat(sandbox.callCount()).as("calls after the restart").isZero();
        }
    }
}
