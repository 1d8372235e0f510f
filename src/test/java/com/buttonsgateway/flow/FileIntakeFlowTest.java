package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The spine end to end (issue 3): inbox file -> validate -> store -> window decision -> sandbox -> result. */
class FileIntakeFlowTest {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("file-intake", Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private SandboxProvider sandbox() {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
    }

    @Test
    void firstMessageToAContactGoesAsTheTemplateAndEndsSent() {
        gateway.drop("order-1001.json", """
                {"id": "order-1001", "to": "+972 50-111-0001", "body": "Your order 1001 is ready. Deliver today?",
                 "button1": "Yes", "button2": "Tomorrow",
                 "template": {"name": "order_ready", "bodyVariable1": "1001"}}
                """);
        JsonNode result = gateway.awaitResult("order-1001");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("route").asText()).isEqualTo("template");
        assertThat(result.path("provider").path("unique").asText()).isNotBlank();
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        assertThat(Files.exists(gateway.inbox().resolve(".done/order-1001.json"))).isTrue();
        JsonNode sent = sandbox().received().stream().filter(r -> "972501110001".equals(r.path("to").asText())).findFirst().orElseThrow();
        assertThat(sent.path("name").asText()).isEqualTo("order_ready");
        assertThat(sent.path("bodyVariable1").asText()).isEqualTo("1001");
    }

    @Test
    void openWindowSendsButtons() {
        assertThat(gateway.contactWrites("972501110002", "hi").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/observe/health", null).statusCode() == 200);
        awaitWindowOpen("972501110002");
        gateway.drop("open.json", """
                {"id": "open-1", "to": "972501110002", "body": "Pick one", "button1": "A", "button2": "B", "button1_id": "a"}
                """);
        JsonNode result = gateway.awaitResult("open-1");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("route").asText()).isEqualTo("buttons");
        JsonNode sent = sandbox().received().stream().filter(r -> "972501110002".equals(r.path("to").asText())).findFirst().orElseThrow();
        assertThat(sent.path("button1_id").asText()).isEqualTo("a");
        assertThat(sent.has("apiKey")).isFalse();
    }

    @Test
    void closedWindowWithoutTemplateIsRejectedWithTheReason() {
        gateway.drop("no-template.json", """
                {"id": "no-template-1", "to": "972501110003", "body": "Hello", "button1": "OK"}
                """);
        JsonNode result = gateway.awaitResult("no-template-1");
        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
        assertThat(result.path("reason").asText()).contains("window closed").contains("gateway.template.default-name");
        assertThat(sandbox().received()).noneMatch(r -> "972501110003".equals(r.path("to").asText()));
    }

    @Test
    void invalidFileGoesToErrorWithEveryProblemAndNothingIsSent() {
        int calls = sandbox().callCount();
        gateway.drop("bad.json", """
                {"to": "12", "body": "", "button1": "this title is far too long", "footer": 5, "colour": "red"}
                """);
        Path error = gateway.inbox().resolve(".error/bad.error.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(error) && Files.exists(gateway.inbox().resolve(".error/bad.json")));
        JsonNode report = TestGateway.readJson(error);
        JsonNode problems = report.path("items").get(0).path("problems");
        assertThat(problems.findValuesAsText("field")).contains("to", "body", "button1", "colour");
        assertThat(sandbox().callCount()).isEqualTo(calls);
    }

    @Test
    void batchWithInvalidItemsSendsTheValidOnesAndSetsAsideTheRest() {
        gateway.drop("batch.json", """
                [{"id": "batch-ok-1", "to": "972501110004", "body": "one", "button1": "OK", "template": {"name": "t1"}},
                 {"id": "batch-bad", "to": "972501110004", "button1": "OK"},
                 {"id": "batch-ok-2", "to": "972501110005", "body": "two", "button1": "OK", "template": {"name": "t1"}}]
                """);
        assertThat(gateway.awaitResult("batch-ok-1").path("status").asText()).isEqualTo("SENT");
        assertThat(gateway.awaitResult("batch-ok-2").path("status").asText()).isEqualTo("SENT");
        Path invalid = gateway.inbox().resolve(".error/batch.invalid.json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(invalid));
        JsonNode items = TestGateway.readJson(invalid);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("id").asText()).isEqualTo("batch-bad");
        JsonNode report = TestGateway.readJson(gateway.inbox().resolve(".error/batch.error.json"));
        assertThat(report.path("items").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(report.path("items").get(0).path("problems").findValuesAsText("field")).contains("body");
        assertThat(Files.exists(gateway.inbox().resolve(".done/batch.json"))).isTrue();
    }

    @Test
    void fileStillBeingWrittenIsReadOnceWhole() throws Exception {
        Path file = gateway.inbox().resolve("slow.json");
        String first = "[{\"id\": \"slow-1\", \"to\": \"972501110006\", \"body\": \"first half\", ";
        String second = "\"button1\": \"OK\", \"template\": {\"name\": \"t\"}}]";
        Files.writeString(file, first);
        // the scenario itself: a slow writer appends the rest a second later (this sleep is the writer, not a wait)
        Thread.sleep(1000);
        Files.writeString(file, second, java.nio.file.StandardOpenOption.APPEND);
        assertThat(gateway.awaitResult("slow-1").path("status").asText()).isEqualTo("SENT");
        assertThat(gateway.inbox().resolve(".done/slow.json")).hasContent(first + second);
        assertThat(gateway.inbox().resolve(".error/slow.error.json")).doesNotExist();
        com.buttonsgateway.store.MessageStore store =
                gateway.context().getRegistry().lookupByNameAndType("messageStore", com.buttonsgateway.store.MessageStore.class);
        assertThat(store.list(null, "972501110006", 10)).hasSize(1);
    }

    private static void awaitWindowOpen(String contact) {
        com.buttonsgateway.window.ContactWindows windows =
                gateway.context().getRegistry().lookupByNameAndType("contactWindows", com.buttonsgateway.window.ContactWindows.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> windows.isOpen("972771234567", contact));
    }
}
