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

/** The spine end to end: inbox file -> validate -> store -> window decision -> sandbox -> result. */
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
    void aTemplateOnlyRequestGoesAsItsTemplateEvenToAnOpenWindow() {
        String contact = "972501110010";
        assertThat(gateway.contactWrites(contact, "hi").statusCode()).isEqualTo(202);
        awaitWindowOpen(contact);
        gateway.drop("reminder.json", """
                {"id": "reminder-2001", "to": "972501110010", "whenClosed": "template",
                 "template": {"name": "payment_reminder", "bodyVariable1": "2001"}}
                """);
        JsonNode result = gateway.awaitResult("reminder-2001");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("route").asText()).isEqualTo("template");
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        assertThat(result.has("warnings")).isFalse();
        JsonNode sent = sandbox().received().stream().filter(r -> contact.equals(r.path("to").asText())).findFirst().orElseThrow();
        assertThat(sent.path("name").asText()).isEqualTo("payment_reminder");
        assertThat(sent.path("bodyVariable1").asText()).isEqualTo("2001");
        assertThat(sent.has("body")).isFalse();
    }

    @Test
    void replyToThatATemplateCannotCarryIsNamedInTheResultsWarnings() {
        // window closed: the fallback template goes, and Send Template has no quoted reply
        gateway.drop("quote-closed.json", """
                {"id": "quote-closed", "to": "972501110011", "body": "About your question", "button1": "OK",
                 "replyTo": "92E0AB13FF7C4D5E6A7B", "template": {"name": "follow_up"}}
                """);
        JsonNode closed = gateway.awaitResult("quote-closed");
        assertThat(closed.path("status").asText()).isEqualTo("SENT");
        assertThat(closed.path("route").asText()).isEqualTo("template");
        assertThat(closed.path("warnings")).hasSize(1);
        assertThat(closed.path("warnings").get(0).asText()).startsWith("replyTo is not sent with a template:")
                .endsWith("does not quote 92E0AB13FF7C4D5E6A7B");
        JsonNode template = sandbox().received().stream().filter(r -> "972501110011".equals(r.path("to").asText())).findFirst().orElseThrow();
        assertThat(template.has("replyTo")).isFalse();

        // window open: buttons quote the message, and nothing is said
        String contact = "972501110012";
        assertThat(gateway.contactWrites(contact, "a question").statusCode()).isEqualTo(202);
        awaitWindowOpen(contact);
        gateway.drop("quote-open.json", """
                {"id": "quote-open", "to": "972501110012", "body": "About your question", "button1": "OK",
                 "replyTo": "92E0AB13FF7C4D5E6A7C", "template": {"name": "follow_up"}}
                """);
        JsonNode open = gateway.awaitResult("quote-open");
        assertThat(open.path("route").asText()).isEqualTo("buttons");
        assertThat(open.has("warnings")).isFalse();
        JsonNode buttons = sandbox().received().stream().filter(r -> contact.equals(r.path("to").asText())).findFirst().orElseThrow();
        assertThat(buttons.path("replyTo").asText()).isEqualTo("92E0AB13FF7C4D5E6A7C");
    }

    @Test
    void theResultKeepsEveryFieldTheProviderAnsweredAndTheEchoedRequest() {
        String contact = "972501110013";
        assertThat(gateway.contactWrites(contact, "hi").statusCode()).isEqualTo(202);
        awaitWindowOpen(contact);
        gateway.drop("echo.json", """
                {"id": "echo-1", "to": "972501110013", "body": "Pick one", "footer": "Reply by tonight",
                 "button1": "A", "button2": "B", "button2_id": "b", "showRequest": 1}
                """);
        JsonNode result = gateway.awaitResult("echo-1");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        JsonNode provider = result.path("provider");
        assertThat(provider.path("status").asText()).isEqualTo("OK");
        assertThat(provider.path("unique").asText()).isNotBlank();
        assertThat(provider.path("reason").asInt()).isEqualTo(1);
        assertThat(provider.path("templateTimeLeft").asText()).isNotBlank();
        assertThat(provider.path("timestamp").asLong()).isPositive();
        assertThat(provider.path("from").asText()).isEqualTo("972771234567");
        assertThat(provider.path("to").asText()).isEqualTo(contact);
        assertThat(provider.path("header").asInt()).isEqualTo(1);
        assertThat(provider.path("body").asText()).isEqualTo("Pick one");
        assertThat(provider.path("footer").asText()).isEqualTo("Reply by tonight");
        assertThat(provider.path("button1").asText()).isEqualTo("A");
        assertThat(provider.path("button2").asText()).isEqualTo("B");
        // the echo of showRequest: 1, as the sandbox (like the provider) answers it, without apiKey
        JsonNode echo = provider.path("request");
        assertThat(echo.path("body").asText()).isEqualTo("Pick one");
        assertThat(echo.path("button2_id").asText()).isEqualTo("b");
        assertThat(echo.path("showRequest").asInt()).isEqualTo(1);
        assertThat(echo.has("apiKey")).isFalse();
        String admin = gateway.property("gateway.admin.token");
        assertThat(gateway.get("/api/messages/echo-1", admin).body()).contains("\"request\"").contains("Reply by tonight");
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

    @Test
    void fourHundredFilesDroppedAtOnceAreEachSentOnceAndMovedToDone() throws Exception {
        int files = 400;
        Path staging = Files.createDirectories(gateway.home().resolve("staging-400"));
        for (int n = 0; n < files; n++) {
            Files.writeString(staging.resolve("flood-" + n + ".json"), "{\"id\": \"flood-" + n + "\", \"to\": \"97250222" + String.format("%04d", n % 97)
                    + "\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\", \"bodyVariable1\": \"flood-" + n + "\"}}");
        }
        for (int n = 0; n < files; n++) {
            Files.move(staging.resolve("flood-" + n + ".json"), gateway.inbox().resolve("flood-" + n + ".json"));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> countIn(gateway.results(), "flood-\\d+\\.json") == files);
        for (int n = 0; n < files; n++) {
            assertThat(TestGateway.readJson(gateway.results().resolve("flood-" + n + ".json")).path("status").asText()).isEqualTo("SENT");
        }
        java.util.Map<String, Long> posts = sandbox().received().stream().map(r -> r.path("bodyVariable1").asText())
                .filter(v -> v.startsWith("flood-")).collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting()));
        assertThat(posts).hasSize(files).allSatisfy((id, times) -> assertThat(times).as("posts of " + id).isEqualTo(1L));
        assertThat(countIn(gateway.inbox().resolve(".done"), "flood-\\d+\\.json")).isEqualTo(files);
        assertThat(countIn(gateway.inbox(), "flood-.*")).isZero();
        assertThat(countIn(gateway.results(), "flood-.*\\.duplicate\\.json")).isZero();
    }

    @Test
    void aCompleteFileIsReadAtOnceWhileAnIncompleteOneWaits() throws Exception {
        // modification times an hour ahead: the age rule can never pass, so only "a whole JSON document" lets a file in
        java.nio.file.attribute.FileTime future = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 3_600_000);
        Path whole = gateway.home().resolve("whole.tmp");
        Files.writeString(whole, "{\"id\": \"whole-1\", \"to\": \"972501110008\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}");
        Files.setLastModifiedTime(whole, future);
        Path partial = gateway.inbox().resolve("partial.json");
        String first = "{\"id\": \"partial-1\", \"to\": \"972501110009\", ";
        Files.writeString(partial, first);
        Files.setLastModifiedTime(partial, future);
        Files.move(whole, gateway.inbox().resolve("whole.json"));

        assertThat(gateway.awaitResult("whole-1").path("status").asText()).isEqualTo("SENT");
        assertThat(gateway.inbox().resolve(".done/whole.json")).exists();
        // the incomplete one stays where it is, unread, while it is not a whole document and not old enough
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> Files.exists(partial)
                && !Files.exists(gateway.inbox().resolve(".error/partial.json")));
        Files.writeString(partial, "\"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}", java.nio.file.StandardOpenOption.APPEND);
        assertThat(gateway.awaitResult("partial-1").path("status").asText()).isEqualTo("SENT");
        assertThat(gateway.inbox().resolve(".done/partial.json")).hasContent(first
                + "\"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}");
    }

    private static long countIn(Path dir, String regex) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(regex)).count();
        }
    }

    private static void awaitWindowOpen(String contact) {
        com.buttonsgateway.window.ContactWindows windows =
                gateway.context().getRegistry().lookupByNameAndType("contactWindows", com.buttonsgateway.window.ContactWindows.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> windows.isOpen("972771234567", contact));
    }
}
