package com.buttonsgateway.flow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Persisted retries, the dead letter and its replay, account pause, idempotency (SPEC 7), faults from the sandbox. */
class ReliabilityFlowTest {

    private static TestGateway gateway;
    private static String admin;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("reliability", Map.of("gateway.retry.max-attempts", "3"));
        admin = gateway.property("gateway.admin.token");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @AfterEach
    void noFaults() {
        sandbox().faults(0.0, null);
        gateway.post("/api/accounts/972771234567/resume", "", admin);
    }

    private static SandboxProvider sandbox() {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
    }

    private static JsonNode json(String text) {
        return WebhookFlowTest.TestGatewayJson.parse(text);
    }

    @Test
    void retriableFailuresAreRetriedThenDeadThenReplayedWithAFreshCount() {
        assertThat(gateway.post("/sandbox/faults", "{\"failRate\": 1.0}", null).statusCode()).isEqualTo(200);
        gateway.drop("flaky.json", """
                {"id": "flaky-1", "to": "972506660001", "body": "b", "button1": "OK", "template": {"name": "t"}}
                """);
        JsonNode dead = gateway.awaitResult("flaky-1");
        assertThat(dead.path("status").asText()).isEqualTo("DEAD");
        assertThat(dead.path("attempts").asInt()).isEqualTo(3);
        assertThat(dead.path("reason").asText()).startsWith("gave up after 3 attempts: reason 6: WhatsApp error - try again");
        assertThat(dead.path("errors")).hasSize(3);
        assertThat(dead.path("errors").get(0).path("kind").asText()).isEqualTo("provider-reason-6");
        Path letter = gateway.home().resolve("data/dead-letter/flaky-1.json");
        assertThat(letter).exists();
        JsonNode deadLetter = TestGateway.readJson(letter);
        assertThat(deadLetter.path("request").path("body").asText()).isEqualTo("b");
        assertThat(deadLetter.path("errors")).hasSize(3);

        sandbox().faults(0.0, null);
        assertThat(gateway.post("/api/messages/flaky-1/replay", "", null).statusCode()).isEqualTo(401);
        assertThat(gateway.post("/api/messages/flaky-1/replay", "", admin).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(TestGateway.readJson(gateway.results().resolve("flaky-1.json"))
                .path("status").asText()));
        assertThat(TestGateway.readJson(gateway.results().resolve("flaky-1.json")).path("attempts").asInt()).isEqualTo(1);
        assertThat(letter).doesNotExist();
        assertThat(gateway.post("/api/messages/flaky-1/replay", "", admin).statusCode()).isEqualTo(409);
        String metrics = gateway.get("/observe/metrics", null).body();
        assertThat(metrics).contains("gateway_messages_total{route=\"template\",status=\"DEAD\"}")
                .contains("gateway_retries_total").contains("gateway_provider_call_seconds_bucket")
                .contains("gateway_backlog").contains("gateway_held")
                .contains("gateway_dispatch_claimed").contains("gateway_provider_calls_in_flight");
        assertThat(gateway.post("/api/messages/no-such-id/replay", "", admin).statusCode()).isEqualTo(404);
    }

    @Test
    void aFinalRefusalIsDeadAtOnceAndReplayableByMovingTheFile() throws Exception {
        sandbox().faults(0.0, 5);
        gateway.drop("final.json", """
                {"id": "final-1", "to": "972506660002", "body": "b", "button1": "OK", "template": {"name": "t"}}
                """);
        JsonNode dead = gateway.awaitResult("final-1");
        assertThat(dead.path("status").asText()).isEqualTo("DEAD");
        assertThat(dead.path("attempts").asInt()).isEqualTo(1);
        assertThat(dead.path("reason").asText()).startsWith("reason 5: body empty");
        sandbox().faults(0.0, null);
        Path replay = gateway.home().resolve("data/dead-letter/replay");
        Files.createDirectories(replay);
        Files.move(gateway.home().resolve("data/dead-letter/final-1.json"), replay.resolve("final-1.json"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(TestGateway.readJson(gateway.results().resolve("final-1.json"))
                .path("status").asText()));
        assertThat(replay.resolve(".done/final-1.json")).exists();
    }

    @Test
    void aWrongApiKeyPausesTheAccountWithoutBurningItsQueue() {
        sandbox().faults(0.0, 3);
        gateway.drop("paused.json", """
                [{"id": "paused-1", "to": "972506660003", "body": "b", "button1": "OK", "template": {"name": "t"}},
                 {"id": "paused-2", "to": "972506660004", "body": "b", "button1": "OK", "template": {"name": "t"}}]
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.get("/observe/health", null).statusCode() == 503);
        // the reason is a detail: for the admin token only (SPEC 9); anyone sees DOWN
        assertThat(gateway.get("/observe/health", null).body()).contains("DOWN").doesNotContain("account-972771234567");
        HttpResponse<String> health = gateway.get("/observe/health", admin);
        assertThat(health.body()).contains("account-972771234567").contains("DOWN").contains("reason 3: wrong apiKey");
        int calls = sandbox().callCount();
        assertThat(json(gateway.get("/api/messages/paused-1", admin).body()).path("status").asText()).isEqualTo("QUEUED");
        assertThat(json(gateway.get("/api/messages/paused-2", admin).body()).path("status").asText()).isEqualTo("QUEUED");
        assertThat(sandbox().callCount()).isEqualTo(calls);

        sandbox().faults(0.0, null);
        assertThat(gateway.post("/api/accounts/972771234567/resume", "", admin).statusCode()).isEqualTo(200);
        assertThat(gateway.awaitResult("paused-1").path("status").asText()).isEqualTo("SENT");
        JsonNode second = gateway.awaitResult("paused-2");
        assertThat(second.path("status").asText()).isEqualTo("SENT");
        assertThat(second.path("attempts").asInt()).isEqualTo(1);
        assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/api/accounts/972771234567/resume", "", admin).statusCode()).isEqualTo(409);
    }

    @Test
    void reasonTwoForAnAccountThatNeverWorkedIsAMistypedFromAndNothingIsPaused() {
        sandbox().faults(0.0, 2);
        gateway.drop("typo.json", """
                {"id": "typo-1", "from": "972779990001", "to": "972506660005", "body": "b", "button1": "OK", "template": {"name": "t"}}
                """);
        JsonNode dead = gateway.awaitResult("typo-1");
        assertThat(dead.path("status").asText()).isEqualTo("DEAD");
        assertThat(dead.path("reason").asText()).contains("never had an OK").contains("'from'");
        assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void reasonTwoNamingAFieldFinishesThatMessageDeadAndPausesNothing() throws Exception {
        // a template whose variables together pass 1024 characters, stored before the validator knew that rule (an
        // older version accepted it): the provider, here the sandbox, refuses it with reason 2 naming the variables
        gateway.context().getRouteController().stopRoute("dispatcher");
        try {
            gateway.drop("field.json", """
                    {"id": "field-1", "to": "972506660009", "body": "b", "button1": "OK",
                     "template": {"name": "t", "bodyVariable1": "AAAA", "bodyVariable2": "BBBB"}}
                    """);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(gateway.inbox().resolve(".done/field.json")));
            javax.sql.DataSource store = gateway.context().getRegistry().lookupByNameAndType("gatewayDataSource", javax.sql.DataSource.class);
            try (var c = store.getConnection();
                 var ps = c.prepareStatement("UPDATE gw_message SET request = REPLACE(REPLACE(request, 'AAAA', ?), 'BBBB', ?) WHERE id = 'field-1'")) {
                ps.setString(1, "a".repeat(600));
                ps.setString(2, "b".repeat(600));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        } finally {
            gateway.context().getRouteController().startRoute("dispatcher");
        }
        JsonNode dead = gateway.awaitResult("field-1");
        assertThat(dead.path("status").asText()).isEqualTo("DEAD");
        assertThat(dead.path("attempts").asInt()).isEqualTo(1);
        assertThat(dead.path("reason").asText()).startsWith("reason 2: bodyVariable1..bodyVariable10: template body plus variables at most 1024");
        assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(200);
        // the account was not paused: its next message goes out
        gateway.drop("after-field.json", """
                {"id": "field-2", "to": "972506660009", "body": "b", "button1": "OK", "template": {"name": "t", "bodyVariable1": "x"}}
                """);
        assertThat(gateway.awaitResult("field-2").path("status").asText()).isEqualTo("SENT");
    }

    @Test
    void templateVariablesTogetherLongerThanTheProviderAllowsAreRejectedAtIntake() {
        String items = "{\"id\": \"long-vars\", \"to\": \"972506660010\", \"body\": \"b\", \"button1\": \"OK\", \"template\": "
                + "{\"name\": \"t\", \"bodyVariable1\": \"" + "a".repeat(600) + "\", \"bodyVariable2\": \"" + "b".repeat(600) + "\"}}";
        HttpResponse<String> refused = gateway.post("/api/messages", items, admin);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode problem = json(refused.body()).get(0).path("problems").get(0);
        assertThat(problem.path("field").asText()).isEqualTo("template");
        assertThat(problem.path("rule").asText()).isEqualTo("max-total-length");
        assertThat(sandbox().received().stream().filter(r -> "972506660010".equals(r.path("to").asText())).count()).isZero();
    }

    @Test
    void theSameIdOrTheSameFileTwiceIsSentOnce() {
        gateway.drop("idem-a.json", """
                {"id": "idem-1", "to": "972506660006", "body": "b", "button1": "OK", "template": {"name": "t"}}
                """);
        JsonNode original = gateway.awaitResult("idem-1");
        gateway.drop("idem-b.json", """
                {"id": "idem-1", "to": "972506660006", "body": "other", "button1": "OK", "template": {"name": "t"}}
                """);
        Path duplicate = gateway.results().resolve("idem-1.duplicate.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(duplicate));
        assertThat(TestGateway.readJson(duplicate).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(TestGateway.readJson(gateway.results().resolve("idem-1.json"))).isEqualTo(original);
        assertThat(gateway.inbox().resolve(".done/idem-b.json")).exists();

        String noIds = """
                [{"to": "972506660007", "body": "same", "button1": "OK", "template": {"name": "t"}}]
                """;
        gateway.drop("same.json", noIds);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(gateway.inbox().resolve(".done/same.json")));
        long calls = sandbox().received().stream().filter(r -> "972506660007".equals(r.path("to").asText())).count();
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox().received().stream()
                .filter(r -> "972506660007".equals(r.path("to").asText())).count() == 1);
        try {
            Files.move(gateway.inbox().resolve(".done/same.json"), gateway.home().resolve("same-again.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        gateway.drop("same.json", noIds);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(gateway.inbox().resolve(".done/same.json")));
        try (var results = Files.list(gateway.results())) {
            assertThat(results.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("same-0-") && n.endsWith(".duplicate.json")))
                    .hasSize(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(sandbox().received().stream().filter(r -> "972506660007".equals(r.path("to").asText())).count()).isEqualTo(1);
        assertThat(calls).isLessThanOrEqualTo(1);
    }

    @Test
    void httpIntakeAnswersPerItem() {
        String one = "{\"id\": \"http-1\", \"to\": \"972506660008\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}";
        assertThat(gateway.post("/api/messages", one, null).statusCode()).isEqualTo(401);
        HttpResponse<String> accepted = gateway.post("/api/messages", one, admin);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(json(accepted.body()).get(0).path("status").asText()).isEqualTo("QUEUED");
        HttpResponse<String> again = gateway.post("/api/messages", one, admin);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again.body()).get(0).path("status").asText()).isEqualTo("DUPLICATE");
        HttpResponse<String> some = gateway.post("/api/messages",
                "[{\"id\": \"http-2\", \"to\": \"972506660008\", \"body\": \"b\", \"button1\": \"OK\"}, {\"id\": \"http-3\", \"to\": \"1\"}]", admin);
        assertThat(some.statusCode()).isEqualTo(207);
        assertThat(json(some.body()).get(1).path("problems").findValuesAsText("field")).contains("to", "body", "button1");
        HttpResponse<String> none = gateway.post("/api/messages", "{\"to\": \"1\"}", admin);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(gateway.post("/api/messages", "not json", admin).statusCode()).isEqualTo(400);
        assertThat(gateway.awaitResult("http-1").path("source").asText()).isEqualTo("http");
        assertThat(gateway.get("/api/messages/unknown-id", admin).statusCode()).isEqualTo(404);
        HttpResponse<String> list = gateway.get("/api/messages?to=972506660008&limit=10", admin);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list.body()).findValuesAsText("id")).contains("http-1", "http-2");
    }
}
