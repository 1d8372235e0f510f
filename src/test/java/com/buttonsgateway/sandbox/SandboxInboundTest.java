package com.buttonsgateway.sandbox;

import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxInboundTest extends SandboxFixture {

    @Test
    void webhookHasTheProvidersIncomingMessageShape() {
        SandboxProvider sandbox = sandbox();

        Inbound inbound = sandbox.inbound(inboundText(CONTACT, "hello"), ACCOUNT);
        JsonNode hook = parse(inbound.webhookJson());

        assertThat(fieldNames(hook)).containsExactly("status", "hook", "unique", "from", "from_id", "to",
                "senderName", "type", "body", "timestamp", "media", "quote", "quoteUnique", "conversationTimeLeft");
        assertThat(hook.get("status").asText()).isEqualTo("OK");
        assertThat(hook.get("hook").asText()).isEqualTo("new");
        assertThat(hook.get("unique").asText()).isEqualTo(inbound.unique()).matches("[0-9A-F]{22}");
        assertThat(hook.get("from").asText()).isEqualTo(CONTACT);
        assertThat(hook.get("from_id").asText()).matches("IL\\.[0-9]{16}");
        assertThat(hook.get("to").asText()).isEqualTo(ACCOUNT);
        assertThat(hook.get("senderName").asText()).isEqualTo("Sandbox contact");
        assertThat(hook.get("type").asText()).isEqualTo("text");
        assertThat(hook.get("body").asText()).isEqualTo("hello");
        assertThat(hook.get("timestamp").isTextual()).isTrue();
        assertThat(hook.get("timestamp").asText()).isEqualTo(Long.toString(START.getEpochSecond()));
        assertThat(hook.get("media").isBoolean()).isTrue();
        assertThat(hook.get("media").asBoolean()).isFalse();
        assertThat(hook.get("quote").asBoolean()).isFalse();
        assertThat(hook.get("quoteUnique").isBoolean()).isTrue();
        assertThat(hook.get("quoteUnique").asBoolean()).isFalse();
        assertThat(hook.get("conversationTimeLeft").asText()).isEqualTo("0");
        assertThat(sandbox.lastInbound(ACCOUNT, CONTACT)).contains(START);
    }

    @Test
    void buttonClickCarriesButtonIdAndQuote() {
        ObjectNode click = JSON.createObjectNode();
        click.put("from", CONTACT);
        click.put("to", "972779999999");
        click.put("type", "button");
        click.put("body", "Yes");
        click.put("buttonId", "confirm-1234");
        click.put("quoteUnique", "65DFD4R4DREF34RDFXD34R");

        JsonNode hook = parse(sandbox().inbound(click.toString(), ACCOUNT).webhookJson());

        assertThat(fieldNames(hook)).containsExactly("status", "hook", "unique", "from", "from_id", "to",
                "senderName", "type", "body", "buttonId", "timestamp", "media", "quote", "quoteUnique",
                "conversationTimeLeft");
        assertThat(hook.get("to").asText()).isEqualTo("972779999999");
        assertThat(hook.get("type").asText()).isEqualTo("button");
        assertThat(hook.get("body").asText()).isEqualTo("Yes");
        assertThat(hook.get("buttonId").asText()).isEqualTo("confirm-1234");
        assertThat(hook.get("quote").asBoolean()).isTrue();
        assertThat(hook.get("quoteUnique").asText()).isEqualTo("65DFD4R4DREF34RDFXD34R");
    }

    @Test
    void buttonIdIsOnlyForButtonClicks() {
        ObjectNode text = JSON.createObjectNode();
        text.put("from", CONTACT);
        text.put("body", "hi");
        text.put("buttonId", "x");

        assertThat(parse(sandbox().inbound(text.toString(), ACCOUNT).webhookJson()).has("buttonId")).isFalse();
    }

    @Test
    void fromIdIsStablePerContactAndDiffersBetweenContacts() {
        String a1 = parse(sandbox().inbound(inboundText(CONTACT, "a"), ACCOUNT).webhookJson()).get("from_id").asText();
        String a2 = parse(sandbox().inbound(inboundText(CONTACT, "b"), ACCOUNT).webhookJson()).get("from_id").asText();
        String b = parse(sandbox().inbound(inboundText("972509999999", "c"), ACCOUNT).webhookJson())
                .get("from_id").asText();

        assertThat(a1).isEqualTo(a2).isNotEqualTo(b);
    }

    @Test
    void conversationTimeLeftFollowsTheBillingConversationNotTheWindow() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);
        clock.advance(Duration.ofHours(2));
        sandbox.sendButtons(buttons().toString()); // opens a conversation ending at START + 26 h
        clock.advance(Duration.ofHours(20));
        JsonNode during = parse(contactWrites(sandbox).webhookJson());
        clock.advance(Duration.ofHours(3));
        sandbox.sendButtons(buttons().toString()); // still the same conversation: 1 h left
        JsonNode lastHour = parse(contactWrites(sandbox).webhookJson());
        clock.advance(Duration.ofHours(2));
        JsonNode after = parse(contactWrites(sandbox).webhookJson());

        assertThat(during.get("conversationTimeLeft").asText()).isEqualTo("240");
        assertThat(lastHour.get("conversationTimeLeft").asText()).isEqualTo("60");
        assertThat(after.get("conversationTimeLeft").asText()).isEqualTo("0");
    }

    @Test
    void aFailedSendStartsNoConversation() {
        SandboxProvider sandbox = sandbox();
        sandbox.sendButtons(buttons().toString()); // reason 8

        assertThat(parse(contactWrites(sandbox).webhookJson()).get("conversationTimeLeft").asText()).isEqualTo("0");
    }

    @Test
    void aTemplateStartsAConversation() {
        SandboxProvider sandbox = sandbox();
        sandbox.sendTemplate(template().toString());
        clock.advance(Duration.ofMinutes(30));

        assertThat(parse(contactWrites(sandbox).webhookJson()).get("conversationTimeLeft").asText())
                .isEqualTo("1410");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json                                           | not JSON",
        "[]                                                 | JSON object",
        "{}                                                 | from: required",
        "{'body':'hi'}                                      | from: required",
        "{'from':'972501234567'}                            | body: required",
        "{'from':'972501234567','body':''}                  | body: required",
        "{'from':'+972501234567','body':'hi'}               | from: must be",
        "{'from':'120363025246125486@g.us','body':'hi'}     | from: groups",
        "{'from':'972501234567','body':'hi','to':'abc'}     | to: must be",
        "{'from':'972501234567','body':'hi','type':'sms'}   | type: must be one of",
        "{'from':'972501234567','body':5}                   | body: must be a string",
        "{'from':'972501234567','body':'hi','quoteUnique':true} | quoteUnique:",
        "{'from':'972501234567','body':'hi','button_id':'1'}    | unknown field 'button_id' (did you mean 'buttonId'?)"})
    void invalidInboundThrowsNamingTheField(String json, String message) {
        SandboxProvider sandbox = sandbox();

        assertThatThrownBy(() -> sandbox.inbound(json.replace('\'', '"'), ACCOUNT))
                .isInstanceOf(SandboxInputException.class)
                .hasMessageContaining(message);
        assertThat(sandbox.lastInbound(ACCOUNT, CONTACT)).isEmpty();
    }

    @Test
    void missingAccountWithoutDefaultThrows() {
        assertThatThrownBy(() -> sandbox().inbound(inboundText(CONTACT, "hi"), null))
                .isInstanceOf(SandboxInputException.class)
                .hasMessageContaining("to: required");
    }

    @Test
    void everyProblemIsNamedInOneException() {
        assertThatThrownBy(() -> sandbox().inbound("{\"type\":\"fax\"}", ACCOUNT))
                .isInstanceOf(SandboxInputException.class)
                .hasMessageContaining("from:")
                .hasMessageContaining("type:")
                .hasMessageContaining("body:");
    }

    @Test
    void inboundIsNotCountedAsAProviderCall() {
        SandboxProvider sandbox = sandbox();
        contactWrites(sandbox);

        assertThat(sandbox.callCount()).isZero();
        assertThat(sandbox.received()).isEmpty();
    }
}
