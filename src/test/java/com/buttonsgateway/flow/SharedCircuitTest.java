package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The provider's circuit is the store's (SPEC 7 and 9): two gateways on one PostgreSQL database (here in one
 * JVM, each its own Camel context). One sees the outage and opens the circuit; the other, whose dispatcher starts only
 * then with the backlog before it, sends nothing but probes, and one probe at a time runs between the two. When the
 * provider is back, every message is posted successfully once. Skipped when PostgreSQL is not running.
 */
class SharedCircuitTest {

    private static final String SERVER = TestPostgres.SERVER;

    @Test
    void oneInstanceOpensTheCircuitAndTheOtherStopsSendingTooWithOneProbeAtATime() throws Exception {
        assumeTrue(TestPostgres.up(), "PostgreSQL is not running on 127.0.0.1:5432: shared circuit test skipped");
        String database = TestPostgres.createDatabase("gw_circuit_");
        Path shared = Files.createTempDirectory(Path.of("target"), "gw-circuit-shared-").toAbsolutePath();
        int messages = 12;
        AtomicBoolean down = new AtomicBoolean(true);
        List<TestGateway> gateways = new ArrayList<>();
        try (ProviderStub stub = new ProviderStub(0, 1)) {
            stub.rule(request -> down.get() ? new ProviderStub.Reply(503, "Service Unavailable") : null);
            Map<String, String> props = new HashMap<>();
            props.put("gateway.db.url", SERVER + database);
            props.put("gateway.db.user", "postgres");
            props.put("gateway.provider.api-key", "shared-key");
            props.put("gateway.sandbox.enabled", "false");
            props.put("gateway.provider.base-url", stub.baseUrl());
            props.put("gateway.dispatch.concurrency", "2");
            props.put("gateway.retry.max-attempts", "3");
            props.put("gateway.provider.circuit.failures", "3");
            props.put("gateway.provider.circuit.probe-seconds", "2");
            props.put("gateway.results.dir", shared.resolve("results").toString());
            props.put("gateway.dead-letter.dir", shared.resolve("dead-letter").toString());
            TestGateway a = TestGateway.start("circuit-a", props);
            gateways.add(a);
            TestGateway b = TestGateway.start("circuit-b", props);
            gateways.add(b);
            b.context().getRouteController().stopRoute("dispatcher");

            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < messages; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"shared-").append(i).append("\",\"to\":\"9725089").append(10000 + i)
                        .append("\",\"body\":\"b\",\"button1\":\"OK\",\"template\":{\"name\":\"t\",\"bodyVariable1\":\"shared-")
                        .append(i).append("\"}}");
            }
            a.drop("shared.json", batch.append(']').toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> ProviderOutageFlowTest.circuitGauge(a) == 1.0);
            // b made no call and saw no failure: it learns of the outage from the store
            await().atMost(Duration.ofSeconds(5)).until(() -> ProviderOutageFlowTest.circuitGauge(b) == 1.0);
            String adminB = b.property("gateway.admin.token");
            assertThat(b.get("/observe/health", adminB).body()).contains("provider circuit open").contains("HTTP 503");
            int beforeB = stub.count();
            long bStarted = System.nanoTime();
            b.context().getRouteController().startRoute("dispatcher");

            // two probes at least (2 s, then 4 s later), whichever instance takes them
            await().atMost(Duration.ofSeconds(20)).until(() -> stub.calls().stream()
                    .filter(c -> c.arrivedNanos() > bStarted && c.status() == 503).count() >= 2);
            down.set(false);
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ProviderOutageFlowTest.countResults(shared.resolve("results")) == messages);

            List<ProviderStub.Call> calls = stub.calls();
            List<Long> whileOpen = calls.subList(beforeB, calls.size()).stream().filter(c -> c.status() == 503)
                    .map(ProviderStub.Call::arrivedNanos).toList();
            long firstOk = calls.stream().filter(c -> c.status() == 200).mapToLong(ProviderStub.Call::arrivedNanos).min().orElseThrow();
            assertThat(calls.stream().filter(c -> c.arrivedNanos() > bStarted && c.arrivedNanos() < firstOk))
                    .as("calls between b's start and the provider's return: the probes only").hasSize(whileOpen.size());
            List<Long> probes = new ArrayList<>(whileOpen);
            probes.add(firstOk);
            for (int i = 1; i < probes.size(); i++) {
                long gap = TimeUnit.NANOSECONDS.toMillis(probes.get(i) - probes.get(i - 1));
                assertThat(gap).as("probe %d after the one before: one at a time, across both instances", i)
                        .isGreaterThanOrEqualTo((2000L << i) - 20);
            }
            Map<String, Integer> ok = new HashMap<>();
            calls.stream().filter(c -> c.status() == 200).forEach(c -> ok.merge(c.text(), 1, Integer::sum));
            for (int i = 0; i < messages; i++) {
                assertThat(TestGateway.readJson(shared.resolve("results/shared-" + i + ".json")).path("status").asText())
                        .as("shared-" + i).isEqualTo("SENT");
                assertThat(ok.get("shared-" + i)).as("successful POSTs of shared-" + i).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> ProviderOutageFlowTest.circuitGauge(b) == 0.0
                    && ProviderOutageFlowTest.circuitGauge(a) == 0.0);
        } finally {
            gateways.forEach(TestGateway::close);
            TestPostgres.dropDatabase(database);
        }
    }
}
