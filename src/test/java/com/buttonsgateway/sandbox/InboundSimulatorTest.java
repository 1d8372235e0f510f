package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The inbound bean on its own, with its real collaborators; the webhook's whole shape is in {@link SandboxInboundTest}. */
class InboundSimulatorTest extends SandboxFixture {

    private final ObjectMapper json = ProviderChecks.providerJson();
    private final SandboxWindows windows = new SandboxWindows();
    private final InboundSimulator inbound = new InboundSimulator(clock, json, windows,
            new ProviderAnswers(json, new SplittableRandom(1)));

    @Test
    void aContactWritingOpensTheWindowAndGivesTheWebhookToDeliver() {
        Inbound played = inbound.play(inboundText(CONTACT, "hello"), ACCOUNT);
        JsonNode hook = parse(played.webhookJson());

        assertThat(windows.lastInbound(ACCOUNT, CONTACT)).contains(START);
        assertThat(hook.get("hook").asText()).isEqualTo("new");
        assertThat(hook.get("unique").asText()).isEqualTo(played.unique());
        assertThat(hook.get("from").asText()).isEqualTo(CONTACT);
        assertThat(hook.get("to").asText()).isEqualTo(ACCOUNT);
        assertThat(windows.lastInbound(ACCOUNT, hook.get("from_id").asText())).contains(START);
    }

    @Test
    void theAnswerNamesTheUniqueOnly() {
        Inbound played = inbound.play(inboundText(CONTACT, "hello"), ACCOUNT);

        assertThat(parse(played.answerJson()).toString()).isEqualTo("{\"unique\":\"" + played.unique() + "\"}");
    }

    @Test
    void aClickCarriesTheButtonIdAndTheAccountGiven() {
        String click = "{\"from\":\"" + CONTACT + "\",\"to\":\"972779999999\",\"type\":\"button\",\"body\":\"Yes\","
                + "\"buttonId\":\"confirm-1\"}";

        JsonNode hook = parse(inbound.play(click, ACCOUNT).webhookJson());

        assertThat(hook.get("type").asText()).isEqualTo("button");
        assertThat(hook.get("buttonId").asText()).isEqualTo("confirm-1");
        assertThat(windows.lastInbound("972779999999", CONTACT)).contains(START);
        assertThat(windows.lastInbound(ACCOUNT, CONTACT)).isEmpty();
    }

    @Test
    void conversationTimeLeftComesFromTheConversationTheSendersStarted() {
        windows.businessWrote(ACCOUNT, CONTACT, START);
        clock.advance(Duration.ofHours(20));

        assertThat(parse(inbound.play(inboundText(CONTACT, "hi"), ACCOUNT).webhookJson())
                .get("conversationTimeLeft").asText()).isEqualTo("240");
    }

    @Test
    void badInputNamesEveryFieldAndOpensNoWindow() {
        assertThatThrownBy(() -> inbound.play("{\"type\":\"fax\",\"to\":\"+1\"}", ACCOUNT))
                .isInstanceOf(SandboxInputException.class)
                .hasMessage("inbound: from: required (the contact's international number);"
                        + " to: must be the business account's international number without + (digits only, 8 to 15);"
                        + " type: must be one of audio, button, contacts, document, image, list, location, order, ptt,"
                        + " reaction, text, video;"
                        + " body: required (the message text; for type button the clicked button's text)");
        assertThatThrownBy(() -> inbound.play(inboundText(CONTACT, "hi"), "abc"))
                .hasMessage("inbound: to: the default account is not an international number (digits only, 8 to 15)");
        assertThatThrownBy(() -> inbound.play("nope", ACCOUNT)).hasMessageStartingWith("inbound: not JSON (line 1");

        assertThat(windows.lastInbound(ACCOUNT, CONTACT)).isEmpty();
    }
}
