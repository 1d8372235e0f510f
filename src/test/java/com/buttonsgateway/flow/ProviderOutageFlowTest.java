package com.buttonsgateway.flow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outages heal themselves (SPEC 7 "An outage is not the message's fault"): a provider answering 503 for
 * longer than all retries would take turns no message DEAD; the circuit opens, one probe goes at doubling intervals,
 * and the backlog drains once the provider is back, each message posted successfully once. A message that fails by
 * itself while the others go out still goes DEAD after gateway.retry.max-attempts, and the circuit stays closed.
 * The provider is a stand-in that records each call, its time and the status it answered.
 */
class ProviderOutageFlowTest {

    private static Map<String, String> standIn(ProviderStub stub) {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.provider.api-key", "outage-key");
        p.put("gateway.sandbox.enabled", "false");
        p.put("gateway.provider.base-url", stub.baseUrl());
        return p;
    }

    private static String message(String id, String to) {
        return "{\"id\":\"" + id + "\",\"to\":\"" + to + "\",\"body\":\"b\",\"button1\":\"OK\",\"template\":{\"name\":\"t\",\"bodyVariable1\":\""
                + id + "\"}}";
    }

    static double circuitGauge(TestGateway gateway) {
        return gateway.get("/observe/metrics", null).body().lines().filter(l -> l.startsWith("gateway_provider_circuit_open "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no gateway_provider_circuit_open in /observe/metrics"));
    }

    @Test
    void anOutageLongerThanAllRetriesEndsWithEveryMessageSentOnceNoneDeadAndProbesSpacedAsConfigured() throws Exception {
        int messages = 40;
        AtomicBoolean down = new AtomicBoolean(true);
        try (ProviderStub stub = new ProviderStub(0, 1);
             LogCapture log = LogCapture.start("outage")) {
            stub.rule(request -> down.get() ? new ProviderStub.Reply(503, "Service Unavailable") : null);
            Map<String, String> props = standIn(stub);
            // all retries would be spent in well under a second: 3 attempts, 50 ms doubling (TestGateway)
            props.put("gateway.retry.max-attempts", "3");
            props.put("gateway.provider.circuit.failures", "5");
            props.put("gateway.provider.circuit.probe-seconds", "1");
            try (TestGateway gateway = TestGateway.start("outage", props)) {
                String admin = gateway.property("gateway.admin.token");
                // 30 contacts; the first 10 get a second message, which must follow their first
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < messages; i++) {
                    batch.append(i == 0 ? "" : ",").append(message("out-" + i, "97250880" + (1000 + i % 30)));
                }
                gateway.drop("outage.json", batch.append(']').toString());

                await().atMost(Duration.ofSeconds(20)).until(() -> circuitGauge(gateway) == 1.0);
                HttpResponse<String> health = gateway.get("/observe/health", admin);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("provider circuit open").contains("HTTP 503: Service Unavailable");
                JsonNode circuit = WebhookFlowTest.TestGatewayJson.parse(gateway.get("/api/stats", admin).body()).path("circuit");
                assertThat(circuit.path("open").asBoolean()).isTrue();
                assertThat(circuit.path("lastError").asText()).contains("HTTP 503");
                assertThat(circuit.path("since").asText()).endsWith("Z");
                assertThat(circuit.path("nextProbeAt").asText()).endsWith("Z");
                assertThat(log.matching("provider circuit open after 5 retryable failures in a row")).singleElement().asString()
                        .contains("HTTP 503").contains("messages wait");

                // the outage outlasts two probes (1 s, then 2 s after the first failed); the third comes 4 s later
                await().atMost(Duration.ofSeconds(20)).until(() -> log.matching("the probe failed").size() >= 2);
                JsonNode stats = WebhookFlowTest.TestGatewayJson.parse(gateway.get("/api/stats", admin).body());
                assertThat(stats.path("counts").path("DEAD").asInt()).as("dead during the outage").isZero();
                assertThat(stats.path("backlog").asInt()).isEqualTo(messages);
                down.set(false);

                await().atMost(Duration.ofSeconds(30)).until(() -> countResults(gateway.results()) == messages);
                for (int i = 0; i < messages; i++) {
                    JsonNode result = gateway.awaitResult("out-" + i);
                    assertThat(result.path("status").asText()).as("out-" + i).isEqualTo("SENT");
                    // the failures of an outage are not the message's: its one attempt is the call that went through
                    assertThat(result.path("attempts").asInt()).as("attempts of out-" + i).isEqualTo(1);
                }
                List<ProviderStub.Call> calls = stub.calls();
                Map<String, Integer> ok = new HashMap<>();
                Map<String, Long> okAt = new HashMap<>();
                for (ProviderStub.Call call : calls) {
                    if (call.status() == 200) {
                        ok.merge(call.text(), 1, Integer::sum);
                        okAt.put(call.text(), call.arrivedNanos());
                    }
                }
                for (int i = 0; i < messages; i++) {
                    assertThat(ok.get("out-" + i)).as("successful POSTs of out-" + i).isEqualTo(1);
                }
                for (int i = 0; i < 10; i++) {
                    assertThat(okAt.get("out-" + i)).as("contact order: out-%d before out-%d", i, i + 30).isLessThan(okAt.get("out-" + (i + 30)));
                }
                assertThat(stub.overlaps()).isZero();
                try (var letters = Files.list(gateway.data().resolve("dead-letter"))) {
                    assertThat(letters.filter(Files::isRegularFile)).as("dead letters").isEmpty();
                }

                // the probes: after the burst of calls in flight when the circuit opened, one call at a time, each
                // interval at least the configured one and doubling: 1 s, 2 s, then the third probe (4 s) went through
                List<Long> failed = calls.stream().filter(c -> c.status() == 503).map(ProviderStub.Call::arrivedNanos).toList();
                long burstEnd = failed.get(0) + TimeUnit.MILLISECONDS.toNanos(500);
                List<Long> probes = new ArrayList<>(failed.stream().filter(t -> t > burstEnd).toList());
                long lastOfBurst = failed.stream().filter(t -> t <= burstEnd).mapToLong(Long::longValue).max().orElseThrow();
                assertThat(failed.size() - probes.size()).as("calls made before the circuit opened").isBetween(5, 5 + 8 + 1);
                assertThat(probes).as("failed probes").hasSize(2);
                long firstOk = calls.stream().filter(c -> c.status() == 200).mapToLong(ProviderStub.Call::arrivedNanos).min().orElseThrow();
                probes.add(firstOk);
                // the first probe is due a probe interval after the circuit opened, and it opened on the fifth failure
                // recorded, which reached the stand-in no earlier than the fifth failure to arrive; calls already in flight
                // then may arrive later still, so the first interval is counted from the fifth arrival, not the burst's last
                long previous = failed.stream().sorted().skip(4).findFirst().orElseThrow();
                long interval = 1000;
                for (long probe : probes) {
                    long gap = TimeUnit.NANOSECONDS.toMillis(probe - previous);
                    assertThat(gap).as("interval before a probe, at least %d ms", interval).isGreaterThanOrEqualTo(interval - 20)
                            .isLessThan(interval * 2 + 1500);
                    previous = probe;
                    interval *= 2;
                }
                assertThat(calls.stream().filter(c -> c.arrivedNanos() > lastOfBurst && c.arrivedNanos() < firstOk)).as("calls while open")
                        .hasSize(2);

                assertThat(circuitGauge(gateway)).isZero();
                assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(200);
                assertThat(log.matching("provider circuit closed after")).singleElement().asString().contains("of outage").contains("to send");
                assertThat(WebhookFlowTest.TestGatewayJson.parse(gateway.get("/api/stats", admin).body()).path("circuit").path("open")
                        .asBoolean()).isFalse();
            }
        }
    }

    @Test
    void aMessageFailingByItselfWhileOthersGoOutIsDeadAfterItsAttemptsAndTheCircuitStaysClosed() throws Exception {
        String failing = "972508812345";
        try (ProviderStub stub = new ProviderStub(0, 1);
             LogCapture log = LogCapture.start("one-failing")) {
            stub.rule(request -> failing.equals(request.path("to").asText()) ? new ProviderStub.Reply(500, "Internal Server Error") : null);
            Map<String, String> props = standIn(stub);
            // as many attempts as the circuit's failures and more: only the other messages' answers keep it closed
            props.put("gateway.retry.max-attempts", "6");
            props.put("gateway.provider.circuit.failures", "5");
            props.put("gateway.retry.initial-delay-ms", "300");
            props.put("gateway.retry.max-delay-ms", "600");
            try (TestGateway gateway = TestGateway.start("one-failing", props)) {
                String admin = gateway.property("gateway.admin.token");
                ScheduledExecutorService others = Executors.newSingleThreadScheduledExecutor();
                AtomicInteger posted = new AtomicInteger();
                try {
                    assertThat(gateway.post("/api/messages", message("lonely", failing), admin).statusCode()).isEqualTo(202);
                    // the other contacts' messages keep coming while it is retried
                    others.scheduleWithFixedDelay(() -> {
                        int n = posted.get();
                        if (gateway.post("/api/messages", message("other-" + n, "97250882" + (1000 + n)), admin).statusCode() == 202) {
                            posted.incrementAndGet();
                        }
                    }, 0, 40, TimeUnit.MILLISECONDS);
                    Path dead = gateway.results().resolve("lonely.json");
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        assertThat(circuitGauge(gateway)).as("the circuit while one message fails").isZero();
                        return Files.exists(dead);
                    });
                } finally {
                    others.shutdown();
                    assertThat(others.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                }
                JsonNode result = gateway.awaitResult("lonely");
                assertThat(result.path("status").asText()).isEqualTo("DEAD");
                assertThat(result.path("attempts").asInt()).isEqualTo(6);
                assertThat(result.path("reason").asText()).startsWith("gave up after 6 attempts: HTTP 500");
                assertThat(result.path("errors")).hasSize(6);
                for (int n = 0; n < posted.get(); n++) {
                    assertThat(gateway.awaitResult("other-" + n).path("status").asText()).as("other-" + n).isEqualTo("SENT");
                }
                // the scenario is the one named: between two calls of the failing message, others went through
                List<ProviderStub.Call> calls = stub.calls();
                int okSince = -1;
                int failures = 0;
                for (ProviderStub.Call call : calls) {
                    if (call.status() == 500) {
                        assertThat(okSince).as("answers OK before failure %d", failures + 1).isNotZero();
                        okSince = 0;
                        failures++;
                    } else if (okSince >= 0) {
                        okSince++;
                    }
                }
                assertThat(failures).isEqualTo(6);
                assertThat(circuitGauge(gateway)).isZero();
                assertThat(log.matching("provider circuit open")).isEmpty();
                assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(200);
            }
        }
    }

    static long countResults(Path results) throws java.io.IOException {
        try (var files = Files.list(results)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        }
    }
}
