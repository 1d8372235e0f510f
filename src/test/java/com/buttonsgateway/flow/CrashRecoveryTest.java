package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 while calls are in flight (SPEC 7): nothing is lost; under {@code resend} only the calls in
 * flight at the crash may reach the provider twice, under {@code review} none does. The provider is a stand-in in
 * this JVM, so it outlives the gateway and counts every call.
 */
class CrashRecoveryTest {

    private static final int MESSAGES = 24;

    @Test
    void resendSendsEveryMessageAndRepeatsOnlyTheCallsInFlight() throws Exception {
        Outcome o = crashAndRestart("resend");
        assertThat(o.sent).isEqualTo(MESSAGES);
        assertThat(o.dead).isZero();
        assertThat(o.duplicates).isLessThanOrEqualTo(o.inFlightAtKill);
        // the calls in flight reached the stand-in before the kill and again after the restart
        assertThat(o.duplicates).isEqualTo(o.inFlightAtKill);
        assertThat(o.restartLog).contains("in flight at a crash: sent again");
        System.out.printf("crash test, resend: %d messages, %d in flight at the kill, %d sent twice%n", MESSAGES, o.inFlightAtKill,
                o.duplicates);
    }

    @Test
    void reviewFinishesTheCallsInFlightAsDeadAndSendsNothingTwice() throws Exception {
        Outcome o = crashAndRestart("review");
        assertThat(o.duplicates).isZero();
        assertThat(o.dead).isEqualTo(o.inFlightAtKill);
        assertThat(o.sent + o.dead).isEqualTo(MESSAGES);
        assertThat(o.deadReasons).allMatch("in flight at a crash: review"::equals);
        System.out.printf("crash test, review: %d messages, %d in flight at the kill, %d dead for review, 0 sent twice%n", MESSAGES,
                o.inFlightAtKill, o.dead);
    }

    private record Outcome(int sent, int dead, int duplicates, int inFlightAtKill, String restartLog, java.util.List<String> deadReasons) {
    }

    private static Outcome crashAndRestart(String mode) throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-crash-" + mode + "-").toAbsolutePath();
        int port = TestGateway.freePort();
        Path results = home.resolve("data/results");
        try (ProviderStub provider = new ProviderStub(60_000, 64)) {
            Map<String, String> live = new HashMap<>(Map.of("gateway.provider.api-key", "crash-test-key",
                    "gateway.provider.base-url", provider.baseUrl(), "gateway.recovery.in-flight", mode));
            int inFlight;
            try (ForkedGateway first = ForkedGateway.start(home, port, live, "first.log")) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < MESSAGES; i++) {
                    // two messages per contact: the second waits behind the first (QUEUED at the kill)
                    batch.append(i == 0 ? "" : ",").append("{\"id\":\"m-").append(i).append("\",\"to\":\"9725088").append(10000 + i / 2)
                            .append("\",\"body\":\"m-").append(i).append("\",\"button1\":\"OK\",\"template\":{\"name\":\"crash_tpl\",\"bodyVariable1\":\"m-")
                            .append(i).append("\"}}");
                }
                Path tmp = home.resolve("batch.tmp");
                Files.writeString(tmp, batch.append(']').toString());
                Files.move(tmp, home.resolve("data/inbox/batch.json"));
                // the stand-in holds every call: wait until dispatch has filled its concurrency, then crash
                await().atMost(Duration.ofSeconds(30)).until(() -> provider.count() >= 8);
                inFlight = provider.count();
                first.kill();
            }
            provider.latency(0);
            String restartLog;
            try (ForkedGateway second = ForkedGateway.start(home, port, live, "second.log")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> countResults(results) == MESSAGES);
                restartLog = second.log();
            }
            int sent = 0;
            int dead = 0;
            int duplicates = 0;
            java.util.List<String> deadReasons = new java.util.ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                JsonNode result = TestGateway.readJson(results.resolve("m-" + i + ".json"));
                if ("SENT".equals(result.path("status").asText())) {
                    sent++;
                } else if ("DEAD".equals(result.path("status").asText())) {
                    dead++;
                    deadReasons.add(result.path("reason").asText());
                }
                if (provider.timesSent("m-" + i) > 1) {
                    duplicates++;
                }
            }
            return new Outcome(sent, dead, duplicates, inFlight, restartLog, deadReasons);
        }
    }

    private static long countResults(Path results) throws java.io.IOException {
        try (var files = Files.list(results)) {
            return files.filter(p -> p.getFileName().toString().matches("m-\\d+\\.json")).count();
        }
    }
}
