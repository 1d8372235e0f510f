package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three gateways on one PostgreSQL store and one shared inbox (SPEC 9): each file is processed once, each
 * message sent by one instance; one instance is killed mid-run and its claims are taken over after their lease, so
 * only its calls in flight at the kill may reach the provider twice. Skipped when PostgreSQL is not running.
 */
class MultiInstanceTest {

    private static final String SERVER = TestPostgres.SERVER;
    private static final int FILES = 6;
    private static final int PER_FILE = 500;
    private static final int CONCURRENCY = 8;

    @Test
    void threeInstancesSendEveryMessageOnceAndTakeOverAKilledOnesClaims() throws Exception {
        assumeTrue(TestPostgres.up(), "PostgreSQL is not running on 127.0.0.1:5432: multi-instance test skipped");
        String database = TestPostgres.createDatabase("gw_multi_");
        Path shared = Files.createTempDirectory(Path.of("target"), "gw-multi-").toAbsolutePath();
        List<ForkedGateway> gateways = new ArrayList<>();
        try (ProviderStub provider = new ProviderStub(30, 64)) {
            Map<String, String> props = new HashMap<>();
            props.put("gateway.db.url", SERVER + database);
            props.put("gateway.db.user", "postgres");
            props.put("gateway.provider.api-key", "multi-key");
            props.put("gateway.sandbox.enabled", "false");
            props.put("gateway.provider.base-url", provider.baseUrl());
            props.put("gateway.dispatch.concurrency", Integer.toString(CONCURRENCY));
            props.put("gateway.dispatch.lease-seconds", "5");
            props.put("gateway.inbox.dir", shared.resolve("inbox").toString());
            props.put("gateway.results.dir", shared.resolve("results").toString());
            props.put("gateway.dead-letter.dir", shared.resolve("dead-letter").toString());
            for (int i = 0; i < 3; i++) {
                gateways.add(ForkedGateway.start(shared.resolve("instance-" + i), TestGateway.freePort(), props, "gateway.log"));
            }
            for (int f = 0; f < FILES; f++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < PER_FILE; i++) {
                    int n = f * PER_FILE + i;
                    batch.append(i == 0 ? "" : ",").append("{\"id\":\"mi-").append(n).append("\",\"to\":\"9725077").append(10000 + n % 1000)
                            .append("\",\"body\":\"b\",\"button1\":\"OK\",\"template\":{\"name\":\"t\",\"bodyVariable1\":\"mi-").append(n)
                            .append("\"}}");
                }
                Path tmp = shared.resolve("f" + f + ".tmp");
                Files.writeString(tmp, batch.append(']'));
                Files.move(tmp, shared.resolve("inbox/batch-" + f + ".json"));
            }
            int total = FILES * PER_FILE;
            await().atMost(Duration.ofMinutes(2)).until(() -> provider.count() >= total / 3);
            gateways.get(0).kill();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> countFiles(shared.resolve("results"), "mi-\\d+\\.json") == total);

            int twice = 0;
            for (int n = 0; n < total; n++) {
                int times = provider.timesSent("mi-" + n);
                assertThat(times).as("calls for mi-" + n).isBetween(1, 2);
                if (times == 2) {
                    twice++;
                }
            }
            System.out.printf("multi-instance: %d messages over 3 instances, one killed; %d sent twice (its calls in flight)%n", total, twice);
            assertThat(twice).isLessThanOrEqualTo(CONCURRENCY);
            assertThat(countFiles(shared.resolve("inbox/.done"), "batch-\\d\\.json")).isEqualTo(FILES);
            assertThat(countFiles(shared.resolve("results"), ".*\\.duplicate\\.json")).as("files read twice").isZero();
            assertThat(provider.overlaps()).as("calls to one contact in flight at once").isZero();
        } finally {
            gateways.forEach(ForkedGateway::close);
            TestPostgres.dropDatabase(database);
        }
    }

    private static long countFiles(Path dir, String regex) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(regex)).count();
        }
    }
}
