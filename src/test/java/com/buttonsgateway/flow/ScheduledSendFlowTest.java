package com.buttonsgateway.flow;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled sends (SPEC 3, 5: {@code sendAt}) with the gateway's clock moved forward instead of waiting:
 * SCHEDULED until due and visible in the API, holding back none of the contact's other messages, queued by
 * housekeeping once due and then placed after what the contact has queued at that moment, and kept over a restart.
 */
class ScheduledSendFlowTest {

    private static final String ACCOUNT = "972771234567";
    private static TestGateway gateway;
    private static String admin;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("scheduled", Map.of());
        admin = gateway.property("gateway.admin.token");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static SandboxProvider sandbox() {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
    }

    /** The bodyVariable1 of each call the sandbox received for the contact, in the order received. */
    private static List<String> calls(String contact) {
        return sandbox().received().stream().filter(r -> contact.equals(r.path("to").asText()))
                .map(r -> r.path("bodyVariable1").asText()).toList();
    }

    /** GET /api/messages/<id>: the current status of an unfinished message, the result of a finished one. */
    private static JsonNode message(TestGateway g, String id) {
        return read(g.get("/api/messages/" + id, g.property("gateway.admin.token")).body());
    }

    private static JsonNode read(String json) {
        try {
            return TestGateway.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String status(TestGateway g, String id) {
        return message(g, id).path("status").asText();
    }

    private static String reminder(String id, String contact, Instant sendAt, String variable) {
        return "{\"id\": \"" + id + "\", \"to\": \"" + contact + "\"" + (sendAt == null ? "" : ", \"sendAt\": \"" + sendAt + "\"")
                + ", \"whenClosed\": \"template\", \"template\": {\"name\": \"reminder\", \"bodyVariable1\": \"" + variable + "\"}}";
    }

    @Test
    void aScheduledMessageWaitsForItsTimeVisibleInTheApiAndHoldsBackNothing() {
        String contact = "972506160001";
        Instant sendAt = gateway.clock().instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        try (LogCapture log = LogCapture.start("scheduled-wait")) {
            String answer = gateway.post("/api/messages", "[" + reminder("sched-later", contact, sendAt, "later") + ","
                    + reminder("sched-now", contact, null, "now") + "]", admin).body();
            assertThat(read(answer).findValuesAsText("status")).containsExactly("SCHEDULED", "QUEUED");

            // the later one does not hold back the contact's next message
            JsonNode now = gateway.awaitResult("sched-now");
            assertThat(now.path("status").asText()).isEqualTo("SENT");
            JsonNode scheduled = message(gateway, "sched-later");
            assertThat(scheduled.path("status").asText()).isEqualTo("SCHEDULED");
            assertThat(scheduled.path("sendAt").asText()).isEqualTo(sendAt.toString());
            assertThat(scheduled.path("finishedAt").isNull()).isTrue();
            assertThat(read(gateway.get("/api/messages?status=SCHEDULED", admin).body()).findValuesAsText("id")).contains("sched-later");
            assertThat(read(gateway.get("/api/stats", admin).body()).path("scheduled").asLong()).isPositive();

            // housekeeping comes round and leaves it: not sent before its time
            NotifyBuilder twoPasses = new NotifyBuilder(gateway.context()).fromRoute("housekeeping").whenDone(2).create();
            assertThat(twoPasses.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(status(gateway, "sched-later")).isEqualTo("SCHEDULED");
            assertThat(calls(contact)).containsExactly("now");

            gateway.clock().advance(Duration.ofHours(2).plusMinutes(1));
            JsonNode later = gateway.awaitResult("sched-later");
            assertThat(later.path("status").asText()).isEqualTo("SENT");
            assertThat(later.path("route").asText()).isEqualTo("template");
            assertThat(later.path("sendAt").asText()).isEqualTo(sendAt.toString());
            assertThat(calls(contact)).containsExactly("now", "later");
            assertThat(log.matching("id=sched-later ->SCHEDULED")).hasSize(1);
            assertThat(log.matching("id=sched-later SCHEDULED->QUEUED")).hasSize(1);
        }
    }

    @Test
    void onceDueAScheduledMessageGoesAfterWhatTheContactHasQueuedByThen() {
        String contact = "972506160002";
        String account = "972771600016";
        Instant sendAt = gateway.clock().instant().plus(Duration.ofHours(1));
        gateway.drop("order-s.json", reminder("order-s", contact, sendAt, "s").replace("\"to\"", "\"from\": \"" + account + "\", \"to\""));
        await().atMost(Duration.ofSeconds(20)).until(() -> "SCHEDULED".equals(status(gateway, "order-s")));

        // the account is paused (reason 3): what the contact gets meanwhile waits QUEUED, accepted after order-s
        sandbox().faults(0, 3);
        try {
            gateway.drop("order-1.json", reminder("order-1", contact, null, "1").replace("\"to\"", "\"from\": \"" + account + "\", \"to\""));
            await().atMost(Duration.ofSeconds(20)).until(() -> message(gateway, "order-1").path("reason").asText().startsWith("account paused"));
        } finally {
            sandbox().faults(0, null);
        }
        gateway.drop("order-2.json", reminder("order-2", contact, null, "2").replace("\"to\"", "\"from\": \"" + account + "\", \"to\""));
        await().atMost(Duration.ofSeconds(20)).until(() -> "QUEUED".equals(status(gateway, "order-2")));

        // order-s comes due while both wait: it takes its place after them
        gateway.clock().advance(Duration.ofHours(1).plusMinutes(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> "QUEUED".equals(status(gateway, "order-s")));
        assertThat(gateway.post("/api/accounts/" + account + "/resume", "", admin).statusCode()).isEqualTo(200);
        for (String id : new String[] {"order-1", "order-2", "order-s"}) {
            assertThat(gateway.awaitResult(id).path("status").asText()).as(id).isEqualTo("SENT");
        }
        List<String> order = new ArrayList<>();
        for (String variable : calls(contact)) {
            if (order.isEmpty() || !order.get(order.size() - 1).equals(variable)) {
                order.add(variable); // order-1's refused call and its call after the resume are one
            }
        }
        assertThat(order).containsExactly("1", "2", "s");
    }

    @Test
    void aScheduledMessageIsKeptOverARestart() {
        TestGateway first = TestGateway.start("scheduled-restart", Map.of());
        Path home = first.home();
        int port = first.port();
        Instant sendAt = first.clock().instant().plus(Duration.ofHours(3));
        try {
            first.drop("restart.json", reminder("sched-restart", "972506160003", sendAt, "r"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "SCHEDULED".equals(status(first, "sched-restart")));
        } finally {
            first.close();
        }
        TestGateway second = TestGateway.start(home, port, Map.of());
        try {
            assertThat(status(second, "sched-restart")).isEqualTo("SCHEDULED");
            second.clock().advance(Duration.ofHours(3).plusMinutes(1));
            JsonNode result = second.awaitResult("sched-restart");
            assertThat(result.path("status").asText()).isEqualTo("SENT");
            assertThat(result.path("attempts").asInt()).isEqualTo(1);
        } finally {
            second.close();
        }
    }
}
