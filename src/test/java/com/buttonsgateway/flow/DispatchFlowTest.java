package com.buttonsgateway.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Parallel dispatch keeps each contact's order and never overlaps its calls; the per-account ceiling holds (SPEC 5). */
class DispatchFlowTest {

    private static Map<String, String> live(ProviderStub stub, String concurrency, String rate) {
        return Map.of("gateway.provider.api-key", "flow-key", "gateway.sandbox.enabled", "false", "gateway.provider.base-url",
                stub.baseUrl(), "gateway.dispatch.concurrency", concurrency, "gateway.dispatch.rate-per-second", rate);
    }

    @Test
    void eachContactsMessagesGoInAcceptanceOrderAndNeverOverlap() {
        try (ProviderStub stub = new ProviderStub(15, 32);
             TestGateway gateway = TestGateway.start("order", live(stub, "16", "10000"))) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 60; i++) {
                // 4 contacts, 15 messages each, interleaved in the file
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"o-").append(i).append("\",\"to\":\"97250999000").append(i % 4)
                        .append("\",\"body\":\"").append(i).append("\",\"button1\":\"OK\",\"template\":{\"name\":\"t\",\"bodyVariable1\":\"")
                        .append(i).append("\"}}");
            }
            gateway.drop("order.json", batch.append(']').toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> stub.count() == 60);
            assertThat(stub.overlaps()).as("calls to one contact in flight at once").isZero();
            assertThat(stub.maxInFlight()).as("different contacts go in parallel").isGreaterThan(1);
            for (int c = 0; c < 4; c++) {
                String contact = "97250999000" + c;
                List<Integer> order = stub.received().stream().filter(r -> contact.equals(r.path("to").asText()))
                        .map(r -> Integer.parseInt(r.path("bodyVariable1").asText())).toList();
                assertThat(order).as(contact).isSorted().hasSize(15);
            }
            gateway.awaitResult("o-59");
        }
    }

    @Test
    void callsPerAccountStayUnderTheRateCeilingOverATenSecondBurst() {
        int rate = 20;
        try (ProviderStub stub = new ProviderStub(0, 16);
             TestGateway gateway = TestGateway.start("rate", live(stub, "8", Integer.toString(rate)))) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 280; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"r-").append(i).append("\",\"to\":\"9725098").append(10000 + i)
                        .append("\",\"body\":\"b\",\"button1\":\"OK\",\"template\":{\"name\":\"t\"}}");
            }
            gateway.drop("burst.json", batch.append(']').toString());
            await().atMost(Duration.ofSeconds(40)).until(() -> {
                List<Long> a = stub.arrivals();
                return !a.isEmpty() && a.get(a.size() - 1) - a.get(0) >= TimeUnit.SECONDS.toNanos(10);
            });
            List<Long> arrivals = stub.arrivals();
            long start = arrivals.get(0);
            long inTenSeconds = arrivals.stream().filter(t -> t - start < TimeUnit.SECONDS.toNanos(10)).count();
            System.out.printf("rate ceiling %d/s: %d calls in the first 10 s%n", rate, inTenSeconds);
            assertThat(inTenSeconds).isBetween((long) (rate * 10 * 0.9), (long) (rate * 10 * 1.1));
        }
    }
}
