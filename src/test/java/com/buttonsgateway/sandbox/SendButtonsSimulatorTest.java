package com.buttonsgateway.sandbox;

import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.assertFail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Send Buttons bean on its own, with its real collaborators; the whole rule set is in {@link SandboxSendButtonsTest}. */
class SendButtonsSimulatorTest extends SandboxFixture {

    private final ObjectMapper json = ProviderChecks.providerJson();
    private final ReceivedCalls calls = new ReceivedCalls();
    private final SandboxWindows windows = new SandboxWindows();
    private final FaultInjector faults = new FaultInjector(0.0, null, new SplittableRandom(1), json);
    private final SendButtonsSimulator sendButtons = new SendButtonsSimulator(clock, new ProviderChecks(json, KEY, calls),
            faults, windows, new ProviderAnswers(json, new SplittableRandom(1)));

    @Test
    void answersOkInsideTheWindowWithTheMinutesLeftAndStartsAConversation() {
        windows.contactWrote(ACCOUNT, CONTACT, START);
        clock.advance(Duration.ofMinutes(40));

        JsonNode answer = parse(sendButtons.answer(withKey(buttons(), KEY)));

        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("OK");
        assertThat(answer.get("templateTimeLeft").asText()).isEqualTo("1400");
        assertThat(answer.get("sandbox").asBoolean()).isTrue();
        assertThat(windows.conversationEnd(ACCOUNT, CONTACT)).contains(clock.instant().plus(Duration.ofHours(24)));
        assertThat(calls.count()).isOne();
    }

    @Test
    void outsideTheWindowItIsReason8ThenReason7AndNoConversationStarts() {
        assertFail(parse(sendButtons.answer(withKey(buttons(), KEY))), 8);
        windows.contactWrote(ACCOUNT, CONTACT, START);
        clock.advance(Duration.ofHours(24));
        assertFail(parse(sendButtons.answer(withKey(buttons(), KEY))), 7);

        assertThat(windows.conversationEnd(ACCOUNT, CONTACT)).isEmpty();
    }

    @Test
    void theChecksComeInTheProvidersOrder() {
        ObjectNode wrong = buttons().put("to", "x").put("body", "").put("footer", "f".repeat(61));

        assertFail(parse(sendButtons.answer("{")), 2);
        assertFail(parse(sendButtons.answer(withKey(wrong, "nope"))), 3);
        faults.change(0.0, 6);
        assertFail(parse(sendButtons.answer(withKey(wrong, KEY))), 6);
        faults.change(0.0, null);
        assertFail(parse(sendButtons.answer(withKey(wrong, KEY))), 4);
        assertFail(parse(sendButtons.answer(withKey(wrong.put("to", CONTACT), KEY))), 5);
        assertFail(parse(sendButtons.answer(withKey(wrong.put("body", "hi"), KEY))), 2);
        assertFail(parse(sendButtons.answer(withKey(wrong.put("footer", "ok"), KEY))), 8);
    }

    @Test
    void showRequestEchoesTheRequestWithoutTheKey() {
        windows.contactWrote(ACCOUNT, CONTACT, START);
        ObjectNode request = buttons().put("showRequest", "1");

        String raw = sendButtons.answer(withKey(request, KEY));

        assertThat(parse(raw).get("request")).isEqualTo(request);
        assertThat(raw).doesNotContain(KEY);
    }
}
