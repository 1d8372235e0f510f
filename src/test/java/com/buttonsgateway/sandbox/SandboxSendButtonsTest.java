package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxSendButtonsTest extends SandboxFixture {

    @Test
    void answersTheDocumentedOkResponseWhenTheWindowIsOpen() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        clock.advance(Duration.ofMinutes(40));

        JsonNode answer = parse(sandbox.sendButtons(buttons().toString()));

        assertThat(fieldNames(answer)).containsExactly("status", "unique", "header", "body", "footer", "button1",
                "button2", "button3", "buttonExternal", "timestamp", "from", "to", "templateTimeLeft", "reason", "sandbox");
        assertThat(answer.get("status").asText()).isEqualTo("OK");
        assertThat(answer.get("reason").isInt()).isTrue();
        assertThat(answer.get("reason").asInt()).isEqualTo(1);
        assertThat(answer.get("unique").asText()).matches("[0-9A-F]{22}");
        assertThat(answer.get("header").asInt()).isEqualTo(1);
        assertThat(answer.get("body").asText()).isEqualTo("Your order 1234 is ready. Deliver today?");
        assertThat(answer.get("footer").asText()).isEqualTo("Reply with a button");
        assertThat(answer.get("button1").asText()).isEqualTo("Yes");
        assertThat(answer.get("button2").asText()).isEqualTo("No");
        assertThat(answer.get("button3").asText()).isEmpty();
        assertThat(answer.get("buttonExternal").asText()).isEmpty();
        assertThat(answer.get("timestamp").isNumber()).isTrue();
        assertThat(answer.get("timestamp").asLong()).isEqualTo(START.plus(Duration.ofMinutes(40)).getEpochSecond());
        assertThat(answer.get("from").asText()).isEqualTo(ACCOUNT);
        assertThat(answer.get("to").asText()).isEqualTo(CONTACT);
        assertThat(answer.get("templateTimeLeft").isTextual()).isTrue();
        assertThat(answer.get("templateTimeLeft").asText()).isEqualTo("1400");
    }

    @Test
    void acceptsMediaHeaderExternalButtonAndOptionalFields() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        ObjectNode request = buttons();
        request.put("header", "2");
        request.put("headerURL", "https://cdn.example.com/img/order.JPG?v=3");
        request.put("button1", "Track order");
        request.put("buttonExternal", "https://shop.example.com/orders/1234");
        request.put("button2", "ignored");
        request.put("replyTo", "92E0AAAABBBBCCCCDDDDEE");
        request.put("showRequest", 0);
        request.put("localStorage", "1");

        JsonNode answer = parse(sandbox.sendButtons(request.toString()));

        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("OK");
        assertThat(answer.get("header").asInt()).isEqualTo(2);
        assertThat(answer.get("buttonExternal").asText()).isEqualTo("https://shop.example.com/orders/1234");
        assertThat(answer.get("button2").asText()).as("ignored with buttonExternal").isEmpty();
        assertThat(answer.has("request")).isFalse();
    }

    @Test
    void showRequestEchoesTheRequestWithoutTheApiKey() {
        SandboxProvider sandbox = sandboxExpecting(KEY);
        contactWrites(sandbox);
        ObjectNode request = buttons();
        request.put("showRequest", 1);

        String raw = sandbox.sendButtons(withKey(request, KEY));
        JsonNode answer = parse(raw);

        assertThat(answer.get("status").asText()).isEqualTo("OK");
        assertThat(answer.get("request")).isEqualTo(request);
        assertThat(raw).doesNotContain(KEY);
    }

    // ---------------------------------------------------------------- reason 2: JSON syntax

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{\"to\": \"972501234567\",", "[1,2]", "\"text\"",
        "{\"body\":\"a\"} {\"body\":\"b\"}", "{\"body\":\"a\",\"body\":\"b\"}"})
    void syntaxErrorIsReason2(String body) {
        JsonNode answer = parse(sandbox().sendButtons(body));

        assertFail(answer, 2);
        assertThat(answer.get("message").asText()).startsWith("JSON syntax error");
    }

    @Test
    void syntaxErrorMessageNeverQuotesTheBody() {
        SandboxProvider sandbox = sandboxExpecting(KEY);

        String raw = sandbox.sendButtons("{\"apiKey\": " + KEY + ", \"to\": \"972501234567\"}");

        assertFail(parse(raw), 2);
        assertThat(raw).doesNotContain(KEY).contains("line 1");
    }

    // ---------------------------------------------------------------- reason 3: apiKey

    @Test
    void wrongApiKeyIsReason3AndTheKeyIsNeverEchoed() {
        SandboxProvider sandbox = sandboxExpecting(KEY);
        contactWrites(sandbox);

        String wrong = sandbox.sendButtons(withKey(buttons(), "k-other"));
        String missing = sandbox.sendButtons(buttons().toString());
        String right = sandbox.sendButtons(withKey(buttons(), KEY));

        assertFail(parse(wrong), 3);
        assertThat(parse(wrong).get("message").asText()).contains("wrong apiKey").doesNotContain("k-other");
        assertFail(parse(missing), 3);
        assertThat(parse(right).get("status").asText()).isEqualTo("OK");
        assertThat(wrong + missing + right).doesNotContain(KEY);
    }

    @Test
    void withoutAnExpectedKeyAnyKeyOrNoneIsAccepted() {
        for (String expected : new String[] {null, ""}) {
            SandboxProvider sandbox = sandboxExpecting(expected);
            contactWrites(sandbox);
            assertThat(parse(sandbox.sendButtons(withKey(buttons(), "anything"))).get("status").asText())
                    .isEqualTo("OK");
            assertThat(parse(sandbox.sendButtons(buttons().toString())).get("status").asText()).isEqualTo("OK");
        }
    }

    // ---------------------------------------------------------------- reason 4: to

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "+972501234567", "0501234567x", "0097250", "1234567", "1234567890123456",
        "97250-1234567", "972501234567@c.us", "il.1605856887361213"})
    void badToIsReason4(String to) {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        ObjectNode request = buttons();
        request.put("to", to);

        JsonNode answer = parse(sandbox.sendButtons(request.toString()));

        assertFail(answer, 4);
        assertThat(answer.get("message").asText()).startsWith("to:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"120363025246125486@g.us", "972501234567-1600000000"})
    void groupsAreRefusedWithReason4(String group) {
        ObjectNode request = buttons();
        request.put("to", group);

        JsonNode answer = parse(sandbox().sendButtons(request.toString()));

        assertFail(answer, 4);
        assertThat(answer.get("message").asText()).contains("groups");
    }

    @Test
    void missingToAndNumericToAreHandled() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        ObjectNode missing = buttons();
        missing.remove("to");
        ObjectNode numeric = buttons();
        numeric.put("to", 972501234567L);

        assertFail(parse(sandbox.sendButtons(missing.toString())), 4);
        assertThat(parse(sandbox.sendButtons(numeric.toString())).get("status").asText()).isEqualTo("OK");
    }

    @Test
    void theWebhookFromIdWorksAsToAndSharesTheContactsWindow() {
        SandboxProvider sandbox = sandbox();
        String fromId = parse(contactWrites(sandbox).webhookJson()).get("from_id").asText();
        ObjectNode request = buttons();
        request.put("to", fromId);

        JsonNode answer = parse(sandbox.sendButtons(request.toString()));

        assertThat(answer.get("status").asText()).isEqualTo("OK");
        assertThat(answer.get("to").asText()).isEqualTo(fromId);
        request.put("to", "IL.1999999999999999");
        assertFail(parse(sandbox.sendButtons(request.toString())), 8);
    }

    // ---------------------------------------------------------------- reason 5: body

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyBodyIsReason5(String body) {
        ObjectNode request = buttons();
        request.put("body", body);

        assertFail(parse(sandbox().sendButtons(request.toString())), 5);
    }

    @Test
    void missingOrNullBodyIsReason5() {
        ObjectNode missing = buttons();
        missing.remove("body");
        ObjectNode nul = buttons();
        nul.putNull("body");

        assertFail(parse(sandbox().sendButtons(missing.toString())), 5);
        assertFail(parse(sandbox().sendButtons(nul.toString())), 5);
    }

    // ---------------------------------------------------------------- reason 2: every other rule, by field

    static Stream<Arguments> otherRules() {
        return Stream.of(
                rule("from missing", r -> r.remove("from"), "from:"),
                rule("from not a number", r -> r.put("from", "+972771234567"), "from: the account does not exist"),
                rule("header missing", r -> r.remove("header"), "header: required"),
                rule("header 0", r -> r.put("header", 0), "header: must be"),
                rule("header 5", r -> r.put("header", 5), "header: must be"),
                rule("header text", r -> r.put("header", "image"), "header: must be"),
                rule("header true", r -> r.put("header", true), "header: must be"),
                rule("headerURL missing", r -> r.put("header", 2), "headerURL: required"),
                rule("headerURL http", r -> r.put("header", 2).put("headerURL", "http://x.example.com/a.png"),
                        "headerURL: must be an https URL"),
                rule("headerURL not a URL", r -> r.put("header", 3).put("headerURL", "video.mp4"),
                        "headerURL: must be an https URL"),
                rule("headerURL wrong extension", r -> r.put("header", 3).put("headerURL", "https://x.example.com/a.png"),
                        "headerURL: a video must be mp4"),
                rule("document not pdf", r -> r.put("header", 4).put("headerURL", "https://x.example.com/a.docx"),
                        "headerURL: a document must be pdf"),
                rule("headerURL with header 1", r -> r.put("headerURL", "https://x.example.com/a.png"),
                        "headerURL: only for a media header"),
                rule("body too long", r -> r.put("body", "b".repeat(1025)), "body: at most 1024"),
                rule("body not a string", r -> r.put("body", 12), "body: must be a string"),
                rule("footer 61", r -> r.put("footer", "f".repeat(61)), "footer: at most 60 characters, got 61"),
                rule("footer not a string", r -> r.put("footer", 1), "footer: must be a string"),
                rule("button1 missing", r -> r.remove("button1"), "button1: required"),
                rule("button1 empty", r -> r.put("button1", ""), "button1: required"),
                rule("button1 blank", r -> r.put("button1", "  "), "button1: must not be blank"),
                rule("button1 21", r -> r.put("button1", "x".repeat(21)), "button1: at most 20 characters, got 21"),
                rule("button3 21", r -> r.put("button3", "x".repeat(21)), "button3: at most 20"),
                rule("button3 without button2", r -> { r.remove("button2"); r.put("button3", "Later"); },
                        "button3: given without button2"),
                rule("duplicate titles", r -> r.put("button2", "Yes"), "button2: same title as button1"),
                rule("button id 257", r -> r.put("button1_id", "i".repeat(257)), "button1_id: at most 256"),
                rule("duplicate ids", r -> r.put("button2_id", "1"), "button2_id: same id as button1"),
                rule("button id object", r -> r.putObject("button2_id"), "button2_id: must be a string"),
                rule("buttonExternal bad", r -> r.put("buttonExternal", "call me"), "buttonExternal: must be"),
                rule("emoji on external label", r -> r.put("buttonExternal", "+972 50-123-4567").put("button1", "Call 📞"),
                        "button1: no emoji"),
                rule("showRequest 2", r -> r.put("showRequest", 2), "showRequest: must be 0 or 1"),
                rule("showRequest true", r -> r.put("showRequest", true), "showRequest: must be 0 or 1"),
                rule("localStorage yes", r -> r.put("localStorage", "yes"), "localStorage: must be 0 or 1"),
                rule("replyTo number", r -> r.put("replyTo", 5), "replyTo: must be a string"),
                rule("unknown envelope field", r -> r.put("whenClosed", "hold"), "unknown field 'whenClosed'"),
                rule("gateway id is not a provider field", r -> r.put("id", "order-1"),
                        "unknown field 'id' (not a Send Buttons field)"),
                rule("typo field", r -> r.put("headerUrl", "https://x.example.com/a.png"),
                        "unknown field 'headerUrl' (did you mean 'headerURL'?)"));
    }

    private static Arguments rule(String name, Consumer<ObjectNode> change, String message) {
        return Arguments.of(name, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherRules")
    void everyOtherRuleIsReason2NamingTheField(String name, Consumer<ObjectNode> change, String message) {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        ObjectNode request = buttons();
        change.accept(request);

        JsonNode answer = parse(sandbox.sendButtons(request.toString()));

        assertFail(answer, 2);
        assertThat(answer.get("message").asText()).contains(message);
    }

    @Test
    void lengthsAreCountedInCodePoints() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        ObjectNode request = buttons();
        request.put("footer", "😀".repeat(60));
        request.put("button1", "✔".repeat(20));
        request.put("button2", "😀".repeat(20));

        assertThat(parse(sandbox.sendButtons(request.toString())).get("status").asText()).isEqualTo("OK");
    }

    @Test
    void everyProblemIsListedInOneMessage() {
        ObjectNode request = buttons();
        request.put("footer", "f".repeat(61));
        request.remove("button1");
        request.put("header", 9);

        String message = parse(sandbox().sendButtons(request.toString())).get("message").asText();

        assertThat(message).contains("footer:", "button1:", "header:");
    }

    // ---------------------------------------------------------------- validation order

    @Test
    void validationOrderIsSyntaxKeyFaultToBodyOtherWindow() {
        ObjectNode everythingWrong = buttons();
        everythingWrong.put("to", "x");
        everythingWrong.put("body", "");
        everythingWrong.put("footer", "f".repeat(61));
        SandboxProvider keyed = sandboxExpecting(KEY);
        SandboxProvider forced = new SandboxProvider(clock, KEY, 0.0, 6, new java.util.SplittableRandom(1));

        assertFail(parse(keyed.sendButtons("{")), 2);
        assertFail(parse(keyed.sendButtons(withKey(everythingWrong, "nope"))), 3);
        assertFail(parse(forced.sendButtons(withKey(everythingWrong, KEY))), 6);
        assertFail(parse(keyed.sendButtons(withKey(everythingWrong, KEY))), 4);
        everythingWrong.put("to", CONTACT);
        assertFail(parse(keyed.sendButtons(withKey(everythingWrong, KEY))), 5);
        everythingWrong.put("body", "hi");
        assertFail(parse(keyed.sendButtons(withKey(everythingWrong, KEY))), 2);
        everythingWrong.put("footer", "ok");
        assertFail(parse(keyed.sendButtons(withKey(everythingWrong, KEY))), 8);
    }

    // ---------------------------------------------------------------- reasons 7 and 8: the window

    @Test
    void firstMessageToAContactIsReason8() {
        JsonNode answer = parse(sandbox().sendButtons(buttons().toString()));

        assertFail(answer, 8);
        assertThat(answer.get("message").asText()).contains("first message to this contact");
    }

    @Test
    void windowOpensOnInboundAndClosesAfter24Hours() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);

        JsonNode opened = parse(sandbox.sendButtons(buttons().toString()));
        clock.advance(Duration.ofHours(23).plusMinutes(59));
        JsonNode lastMinute = parse(sandbox.sendButtons(buttons().toString()));
        clock.advance(Duration.ofMinutes(2)); // 24 h + 1 min after the contact wrote
        JsonNode closed = parse(sandbox.sendButtons(buttons().toString()));

        assertThat(opened.get("status").asText()).isEqualTo("OK");
        assertThat(opened.get("templateTimeLeft").asText()).isEqualTo("1440");
        assertThat(lastMinute.get("status").asText()).isEqualTo("OK");
        assertThat(lastMinute.get("templateTimeLeft").asText()).isEqualTo("1");
        assertFail(closed, 7);
        assertThat(closed.get("message").asText()).contains("more than 24 hours");
    }

    @Test
    void windowClosesExactlyAt24Hours() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        clock.advance(Duration.ofHours(24));

        assertFail(parse(sandbox.sendButtons(buttons().toString())), 7);
    }

    @Test
    void aNewInboundMessageReopensTheWindow() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        clock.advance(Duration.ofHours(30));
        assertFail(parse(sandbox.sendButtons(buttons().toString())), 7);

        contactWrites(sandbox);

        assertThat(parse(sandbox.sendButtons(buttons().toString())).get("status").asText()).isEqualTo("OK");
        assertThat(sandbox.lastInbound(ACCOUNT, CONTACT)).contains(START.plus(Duration.ofHours(30)));
    }

    @Test
    void theWindowBelongsToOneAccountAndContact() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        ObjectNode otherAccount = buttons();
        otherAccount.put("from", "972779999999");
        ObjectNode otherContact = buttons();
        otherContact.put("to", "972509999999");

        assertFail(parse(sandbox.sendButtons(otherAccount.toString())), 8);
        assertFail(parse(sandbox.sendButtons(otherContact.toString())), 8);
        assertThat(sandbox.lastInbound("972779999999", CONTACT)).isEmpty();
    }

    // ---------------------------------------------------------------- received() and callCount()

    @Test
    void receivedKeepsEveryRequestInOrderWithoutTheApiKey() {
        SandboxProvider sandbox = sandboxExpecting(KEY);
        contactWrites(sandbox);
        ObjectNode first = buttons();
        ObjectNode second = template();

        sandbox.sendButtons(withKey(first, KEY));
        sandbox.sendButtons("not json");
        sandbox.sendTemplate(withKey(second, "wrong"));

        List<JsonNode> received = sandbox.received();
        assertThat(sandbox.callCount()).isEqualTo(3);
        assertThat(received).containsExactly(first, second);
        assertThat(received.toString()).doesNotContain(KEY).doesNotContain("apiKey");
        assertThat(received).isUnmodifiable();
        ((ObjectNode) received.get(0)).put("body", "changed by a caller");
        assertThat(sandbox.received().get(0)).isEqualTo(first);
    }

    @Test
    void receivedKeepsOnlyTheLastThousandRequestsWhileCallCountCountsThemAll() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        for (int i = 0; i < SandboxProvider.RECEIVED_KEPT + 5; i++) {
            sandbox.sendButtons(buttons().put("body", "call " + i).toString());
        }
        List<JsonNode> received = sandbox.received();
        assertThat(sandbox.callCount()).isEqualTo(SandboxProvider.RECEIVED_KEPT + 5);
        assertThat(received).hasSize(SandboxProvider.RECEIVED_KEPT);
        assertThat(received.get(0).path("body").asText()).isEqualTo("call 5");
        assertThat(received.get(received.size() - 1).path("body").asText()).isEqualTo("call " + (SandboxProvider.RECEIVED_KEPT + 4));
    }

    @Test
    void everyAnswerSaysItCameFromTheSandbox() {
        SandboxProvider sandbox = sandbox();
        assertThat(parse(sandbox.sendButtons(buttons().toString())).path("sandbox").asBoolean()).as("FAIL, reason 8").isTrue();
        assertThat(parse(sandbox.sendTemplate(template().toString())).path("sandbox").asBoolean()).as("OK template").isTrue();
        contactWrites(sandbox);
        assertThat(parse(sandbox.sendButtons(buttons().toString())).path("sandbox").asBoolean()).as("OK buttons").isTrue();
    }

    static List<String> fieldNames(JsonNode node) {
        return iterable(node.fieldNames());
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> names = new java.util.ArrayList<>();
        it.forEachRemaining(names::add);
        return names;
    }

    static void assertFail(JsonNode answer, int reason) {
        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("FAIL");
        assertThat(answer.get("reason").asInt()).as(answer.toString()).isEqualTo(reason);
        assertThat(fieldNames(answer)).containsExactly("status", "reason", "message", "timestamp", "sandbox");
        assertThat(answer.get("timestamp").isNumber()).isTrue();
    }
}
