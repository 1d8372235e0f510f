package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 after the file was stored and before (or while) it is sent loses nothing (issue 3, SPEC 7): messages in
 * flight at the crash are sent again ({@code gateway.recovery.in-flight=resend}), queued ones are sent.
 */
class CrashRecoveryTest {

    @Test
    void messagesStoredBeforeAKillAreSentAfterTheRestart() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-crash-").toAbsolutePath();
        int port = TestGateway.freePort();
        Path inbox = home.resolve("data/inbox");
        Path results = home.resolve("data/results");
        // the sandbox answers slowly, so the kill lands while messages are stored but not yet sent
        try (ForkedGateway first = ForkedGateway.start(home, port, Map.of("gateway.sandbox.latency-ms", "20000"), "first.log")) {
            Path tmp = home.resolve("crash.tmp");
            Files.writeString(tmp, """
                    [{"id": "crash-1", "to": "972502220001", "body": "one", "button1": "OK", "template": {"name": "t"}},
                     {"id": "crash-2", "to": "972502220002", "body": "two", "button1": "OK", "template": {"name": "t"}},
                     {"id": "crash-3", "to": "972502220002", "body": "three", "button1": "OK", "template": {"name": "t"}}]
                    """);
            Files.move(tmp, inbox.resolve("crash.json"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/crash.json")));
            // crash-1 and crash-2 are in flight (SENDING); crash-3 waits behind crash-2 (same contact) as QUEUED
            await().atMost(Duration.ofSeconds(30)).until(() -> first.log().contains("id=crash-2 QUEUED->SENDING"));
            first.kill();
            assertThat(results.resolve("crash-1.json")).doesNotExist();
        }
        try (ForkedGateway second = ForkedGateway.start(home, port, Map.of(), "second.log")) {
            for (String id : new String[] {"crash-1", "crash-2", "crash-3"}) {
                Path result = results.resolve(id + ".json");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(result));
                assertThat(TestGateway.readJson(result).path("status").asText()).as(id).isEqualTo("SENT");
            }
            assertThat(second.log()).contains("in flight at a crash");
        }
    }
}
