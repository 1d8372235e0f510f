package com.buttonsgateway.flow;

import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Windows that expire and holds that time out, with the gateway's clock moved forward instead of sleeping. */
class WindowExpiryFlowTest {

    private static final String ACCOUNT = "972771234567";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("expiry", Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static ContactWindows windows() {
        return gateway.context().getRegistry().lookupByNameAndType("contactWindows", ContactWindows.class);
    }

    private static long callsTo(String contact) {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class).received().stream()
                .filter(r -> contact.equals(r.path("to").asText())).count();
    }

    @Test
    void anExpiredWindowFollowsEachClosedWindowPolicy() {
        for (String contact : new String[] {"972505550001", "972505550002", "972505550003"}) {
            gateway.contactWrites(contact, "hi");
            await().atMost(Duration.ofSeconds(10)).until(() -> windows().isOpen(ACCOUNT, contact));
        }
        gateway.clock().advance(Duration.ofHours(24).plusMinutes(1));
        assertThat(windows().isOpen(ACCOUNT, "972505550001")).isFalse();
        gateway.drop("expired.json", """
                [{"id": "exp-template", "to": "972505550001", "body": "b", "button1": "OK", "template": {"name": "come_back"}},
                 {"id": "exp-hold", "to": "972505550002", "body": "b", "button1": "OK", "whenClosed": "hold"},
                 {"id": "exp-reject", "to": "972505550003", "body": "b", "button1": "OK", "whenClosed": "reject"}]
                """);
        JsonNode template = gateway.awaitResult("exp-template");
        assertThat(template.path("status").asText()).isEqualTo("SENT");
        assertThat(template.path("route").asText()).isEqualTo("template");
        JsonNode rejected = gateway.awaitResult("exp-reject");
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asText()).isEqualTo("window closed");
        String admin = gateway.property("gateway.admin.token");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/api/messages/exp-hold", admin).body().contains("\"HELD\""));
        assertThat(callsTo("972505550002")).isZero();
        assertThat(callsTo("972505550003")).isZero();

        // the held one goes out as buttons the moment the contact writes again
        gateway.contactWrites("972505550002", "back");
        JsonNode released = gateway.awaitResult("exp-hold");
        assertThat(released.path("status").asText()).isEqualTo("SENT");
        assertThat(released.path("route").asText()).isEqualTo("buttons");
    }

    @Test
    void providerReasonSevenWhileTheStoreThoughtItOpenSendsTheTemplateOnceWithoutALoop() {
        String contact = "972505550010";
        gateway.contactWrites(contact, "hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> windows().isOpen(ACCOUNT, contact));
        gateway.clock().advance(Duration.ofHours(25));
        // the store is told (wrongly) that the contact wrote just now; the provider knows it was 25 hours ago
        windows().inbound(ACCOUNT, contact, null, gateway.clock().instant(), null);
        gateway.drop("judge7.json", """
                {"id": "judge-7", "to": "972505550010", "body": "b", "button1": "OK", "template": {"name": "come_back"}}
                """);
        JsonNode result = gateway.awaitResult("judge-7");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("route").asText()).isEqualTo("template");
        assertThat(result.path("errors").get(0).path("detail").asText()).startsWith("reason 7");
        assertThat(callsTo(contact)).isEqualTo(2);
        assertThat(windows().isOpen(ACCOUNT, contact)).isFalse();
    }

    /** windowEndsAt of the contact's window for the default account, as GET /api/contacts/<n>/window shows it. */
    private static java.time.Instant windowEndsAt(String contact) throws Exception {
        String admin = gateway.property("gateway.admin.token");
        JsonNode window = TestGateway.JSON.readTree(gateway.get("/api/contacts/" + contact + "/window", admin).body());
        for (JsonNode account : window.path("accounts")) {
            if (ACCOUNT.equals(account.path("account").asText())) {
                return java.time.Instant.parse(account.path("windowEndsAt").asText());
            }
        }
        throw new AssertionError("no window of " + ACCOUNT + " for " + contact + ": " + window);
    }

    @Test
    void templateTimeLeftInASendButtonsAnswerShortensTheGatewaysWindow() throws Exception {
        String contact = "972505550020";
        gateway.contactWrites(contact, "hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> windows().isOpen(ACCOUNT, contact));
        java.time.Instant providerEnd = gateway.clock().instant().plus(Duration.ofHours(24));
        gateway.clock().advance(Duration.ofHours(10));
        // the store is told (wrongly) that the contact wrote just now: it thinks the window runs 10 hours longer
        windows().inbound(ACCOUNT, contact, null, gateway.clock().instant(), null);
        assertThat(windowEndsAt(contact)).isAfter(providerEnd.plus(Duration.ofHours(9)));

        gateway.drop("time-left-short.json", """
                {"id": "time-left-short", "to": "972505550020", "body": "b", "button1": "OK"}
                """);
        JsonNode result = gateway.awaitResult("time-left-short");
        assertThat(result.path("route").asText()).isEqualTo("buttons");
        // the sandbox's own window has 14 hours left: 840 minutes (839 once a moment passed)
        assertThat(result.path("provider").path("templateTimeLeft").asLong()).isBetween(838L, 840L);
        assertThat(windowEndsAt(contact)).isBetween(providerEnd.minus(Duration.ofMinutes(2)), providerEnd.plus(Duration.ofMinutes(1)));
    }

    @Test
    void templateTimeLeftInASendButtonsAnswerExtendsTheGatewaysWindow() throws Exception {
        String contact = "972505550021";
        gateway.contactWrites(contact, "hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> windows().isOpen(ACCOUNT, contact));
        java.time.Instant providerEnd = gateway.clock().instant().plus(Duration.ofHours(24));
        // the store thinks only 30 minutes are left (say, a webhook with an old timestamp); the provider knows better
        windows().templateTimeLeft(ACCOUNT, contact, 30);
        assertThat(windowEndsAt(contact)).isBefore(gateway.clock().instant().plus(Duration.ofMinutes(31)));

        gateway.drop("time-left-long.json", """
                {"id": "time-left-long", "to": "972505550021", "body": "b", "button1": "OK"}
                """);
        JsonNode result = gateway.awaitResult("time-left-long");
        assertThat(result.path("route").asText()).isEqualTo("buttons");
        assertThat(result.path("provider").path("templateTimeLeft").asLong()).isBetween(1438L, 1440L);
        assertThat(windowEndsAt(contact)).isBetween(providerEnd.minus(Duration.ofMinutes(2)), providerEnd.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aHeldMessageNotReleasedInHoldHoursGoesDead() {
        gateway.drop("held-long.json", """
                {"id": "held-long", "to": "972505550009", "body": "b", "button1": "OK", "whenClosed": "hold"}
                """);
        String admin = gateway.property("gateway.admin.token");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/api/messages/held-long", admin).body().contains("\"HELD\""));
        gateway.clock().advance(Duration.ofHours(72).plusMinutes(1));
        JsonNode result = gateway.awaitResult("held-long");
        assertThat(result.path("status").asText()).isEqualTo("DEAD");
        assertThat(result.path("reason").asText()).contains("gateway.window.hold-hours");
        assertThat(gateway.home().resolve("data/dead-letter/held-long.json")).exists();
        assertThat(callsTo("972505550009")).isZero();
    }
}
