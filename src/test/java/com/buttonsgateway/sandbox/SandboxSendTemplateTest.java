package com.buttonsgateway.sandbox;

import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.assertFail;
import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SandboxSendTemplateTest extends SandboxFixture {

    @Test
    void templateIsAllowedWhenTheContactNeverWrote() {
        JsonNode answer = parse(sandbox().sendTemplate(template().toString()));

        assertThat(fieldNames(answer)).containsExactly("status", "unique", "name", "headerType", "timestamp", "from",
                "to", "templateTimeLeft", "reason", "sandbox");
        assertThat(answer.get("status").asText()).isEqualTo("OK");
        assertThat(answer.get("reason").asInt()).isEqualTo(1);
        assertThat(answer.get("unique").asText()).matches("[0-9A-F]{22}");
        assertThat(answer.get("name").asText()).isEqualTo("order_ready");
        assertThat(answer.get("headerType").asInt()).isEqualTo(1);
        assertThat(answer.get("timestamp").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(answer.get("templateTimeLeft").asText()).isEqualTo("0");
    }

    @Test
    void templateIsAllowedWhenTheWindowClosedAndInsideIt() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        clock.advance(Duration.ofHours(1));
        JsonNode inside = parse(sandbox.sendTemplate(template().toString()));
        clock.advance(Duration.ofHours(24));
        JsonNode closed = parse(sandbox.sendTemplate(template().toString()));

        assertThat(inside.get("status").asText()).isEqualTo("OK");
        assertThat(inside.get("templateTimeLeft").asText()).isEqualTo("1380");
        assertThat(closed.get("status").asText()).isEqualTo("OK");
        assertThat(closed.get("templateTimeLeft").asText()).isEqualTo("0");
        assertFail(parse(sandbox.sendButtons(buttons().toString())), 7);
    }

    @Test
    void aTemplateDoesNotOpenTheWindow() {
        SandboxProvider sandbox = sandbox();
        sandbox.sendTemplate(template().toString());

        assertFail(parse(sandbox.sendButtons(buttons().toString())), 8);
    }

    @Test
    void anyNameAndEveryMediaHeaderAreAccepted() {
        ObjectNode request = template();
        request.put("name", "Whatever Name-v2");
        request.put("headerType", 5);
        request.put("headerLink", "https://files.example.com/invoice.pdf");
        for (int i = 1; i <= 10; i++) {
            request.put("bodyVariable" + i, "v" + i);
        }

        JsonNode answer = parse(sandbox().sendTemplate(request.toString()));

        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("OK");
        assertThat(answer.get("headerType").asInt()).isEqualTo(5);
    }

    @Test
    void sharedReasonsApplyToTemplates() {
        SandboxProvider keyed = sandboxExpecting(KEY);
        ObjectNode badTo = template();
        badTo.put("to", "050-123");
        ObjectNode group = template();
        group.put("to", "120363025246125486@g.us");

        assertFail(parse(keyed.sendTemplate("{oops")), 2);
        assertFail(parse(keyed.sendTemplate(withKey(template(), "wrong"))), 3);
        assertFail(parse(keyed.sendTemplate(template().toString())), 3);
        assertFail(parse(keyed.sendTemplate(withKey(badTo, KEY))), 4);
        assertFail(parse(keyed.sendTemplate(withKey(group, KEY))), 4);
        assertThat(parse(keyed.sendTemplate(withKey(template(), KEY))).get("status").asText()).isEqualTo("OK");
    }

    static Stream<Arguments> templateRules() {
        return Stream.of(
                rule("name missing", r -> r.remove("name"), "name: required"),
                rule("name blank", r -> r.put("name", " "), "name: required"),
                rule("from bad", r -> r.put("from", "abc"), "from: the account does not exist"),
                rule("headerType 2", r -> r.put("headerType", 2), "headerType: must be 1"),
                rule("headerType 6", r -> r.put("headerType", 6), "headerType: must be 1"),
                rule("headerLink missing", r -> r.put("headerType", 3), "headerLink: required for headerType 3"),
                rule("headerLink http", r -> r.put("headerType", 4).put("headerLink", "http://x.example.com/v.mp4"),
                        "headerLink: must be an https URL"),
                rule("headerLink with 1", r -> r.put("headerLink", "https://x.example.com/a.png"),
                        "headerLink: only for a media headerType"),
                rule("variable gap", r -> { r.remove("bodyVariable1"); r.put("bodyVariable2", "x"); },
                        "bodyVariable2: given without bodyVariable1"),
                rule("variable number", r -> r.put("bodyVariable1", 5), "bodyVariable1: must be a string"),
                rule("variables too long", r -> r.put("bodyVariable1", "v".repeat(1025)), "at most 1024"),
                rule("button field", r -> r.put("button1", "Yes"), "unknown field 'button1'"));
    }

    private static Arguments rule(String name, Consumer<ObjectNode> change, String message) {
        return Arguments.of(name, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templateRules")
    void templateRulesAreReason2NamingTheField(String name, Consumer<ObjectNode> change, String message) {
        ObjectNode request = template();
        change.accept(request);

        JsonNode answer = parse(sandbox().sendTemplate(request.toString()));

        assertFail(answer, 2);
        assertThat(answer.get("message").asText()).contains(message);
    }
}
