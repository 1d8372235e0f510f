package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.LogCapture;
import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A live instance keeps its claims however slow the provider (SPEC 7): with calls slower than the lease
 * allows for the messages claimed ahead, nothing is sent twice, nothing is called a crash, nothing goes dead.
 * The provider is a stand-in that counts every POST.
 */
class SlowProviderTest {

    private static final String SERVER = TestPostgres.SERVER;

    private static Map<String, String> slow(ProviderStub stub, String mode) {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.provider.api-key", "slow-key");
        p.put("gateway.sandbox.enabled", "false");
        p.put("gateway.provider.base-url", stub.baseUrl());
        p.put("gateway.dispatch.concurrency", "1");
        p.put("gateway.dispatch.lease-seconds", "3");
        p.put("gateway.recovery.in-flight", mode);
        return p;
    }

    private static String batch(String prefix, int count) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append(i).append("\",\"to\":\"9725044")
                    .append(10000 + i).append("\",\"body\":\"b\",\"button1\":\"OK\",\"template\":{\"name\":\"t\",\"bodyVariable1\":\"")
                    .append(prefix).append(i).append("\"}}");
        }
        return batch.append(']').toString();
    }

    @Test
    void callsSlowerThanTheLeaseAllowsForAreEachPostedOnceAndNothingIsCalledACrash() {
        try (ProviderStub stub = new ProviderStub(2_500, 4);
             LogCapture log = LogCapture.start("slow-resend");
             TestGateway gateway = TestGateway.start("slow-resend", slow(stub, "resend"))) {
            gateway.drop("slow.json", batch("slow-", 5));
            for (int i = 0; i < 5; i++) {
                JsonNode result = gateway.awaitResult("slow-" + i);
                assertThat(result.path("status").asText()).as("slow-" + i).isEqualTo("SENT");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(stub.timesSent("slow-" + i)).as("POSTs of slow-" + i).isEqualTo(1);
            }
            assertThat(stub.count()).isEqualTo(5);
            assertThat(log.matching("in flight at a crash")).isEmpty();
        }
    }

    @Test
    void inReviewModeACallThatOutlastsItsLeaseIsNotMadeDead() throws Exception {
        // each call outlasts the lease by more than housekeeping's period (5 s): only a renewed lease keeps the claim
        Map<String, String> props = new HashMap<>(Map.of("gateway.dispatch.lease-seconds", "1"));
        try (ProviderStub stub = new ProviderStub(6_500, 4);
             LogCapture log = LogCapture.start("slow-review");
             TestGateway gateway = TestGateway.start("slow-review", with(slow(stub, "review"), props))) {
            gateway.drop("review.json", batch("review-", 2));
            for (int i = 0; i < 2; i++) {
                JsonNode result = gateway.awaitResult("review-" + i);
                assertThat(result.path("status").asText()).as("review-" + i).isEqualTo("SENT");
                assertThat(stub.timesSent("review-" + i)).as("POSTs of review-" + i).isEqualTo(1);
            }
            try (var letters = Files.list(gateway.data().resolve("dead-letter"))) {
                assertThat(letters.filter(Files::isRegularFile)).as("dead letters").isEmpty();
            }
            assertThat(log.matching("in flight at a crash")).isEmpty();
        }
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(more);
        return all;
    }

    @Test
    void twoInstancesOnPostgresqlWithASlowProviderPostEveryMessageOnce() throws Exception {
        assumeTrue(TestPostgres.up(), "PostgreSQL is not running on 127.0.0.1:5432: two-instance slow-provider test skipped");
        String database = TestPostgres.createDatabase("gw_slow_");
        Path shared = Files.createTempDirectory(Path.of("target"), "gw-slow-multi-").toAbsolutePath();
        List<ForkedGateway> gateways = new ArrayList<>();
        int messages = 16;
        try (ProviderStub stub = new ProviderStub(1_500, 4)) {
            Map<String, String> props = slow(stub, "resend");
            props.put("gateway.db.url", SERVER + database);
            props.put("gateway.db.user", "postgres");
            props.put("gateway.dispatch.concurrency", "2");
            props.put("gateway.dispatch.lease-seconds", "2");
            props.put("gateway.inbox.dir", shared.resolve("inbox").toString());
            props.put("gateway.results.dir", shared.resolve("results").toString());
            props.put("gateway.dead-letter.dir", shared.resolve("dead-letter").toString());
            for (int i = 0; i < 2; i++) {
                gateways.add(ForkedGateway.start(shared.resolve("instance-" + i), TestGateway.freePort(), props, "gateway.log"));
            }
            Path tmp = shared.resolve("slow.tmp");
            Files.writeString(tmp, batch("multi-", messages));
            Files.move(tmp, shared.resolve("inbox/slow.json"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
                try (var files = Files.list(shared.resolve("results"))) {
                    return files.filter(p -> p.getFileName().toString().matches("multi-\\d+\\.json")).count() == messages;
                }
            });
            for (int i = 0; i < messages; i++) {
                assertThat(TestGateway.readJson(shared.resolve("results/multi-" + i + ".json")).path("status").asText())
                        .as("multi-" + i).isEqualTo("SENT");
                assertThat(stub.timesSent("multi-" + i)).as("POSTs of multi-" + i).isEqualTo(1);
            }
            for (ForkedGateway g : gateways) {
                assertThat(g.log()).doesNotContain("in flight at a crash");
            }
        } finally {
            gateways.forEach(ForkedGateway::close);
            TestPostgres.dropDatabase(database);
        }
    }
}
