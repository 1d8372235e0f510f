package com.buttonsgateway.sandbox;

import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.assertFail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Send Template bean on its own, with its real collaborators; the whole rule set is in {@link SandboxSendTemplateTest}. */
class SendTemplateSimulatorTest extends SandboxFixture {

    private final ObjectMapper json = ProviderChecks.providerJson();
    private final ReceivedCalls calls = new ReceivedCalls();
    private final SandboxWindows windows = new SandboxWindows();
    private final FaultInjector faults = new FaultInjector(0.0, null, new SplittableRandom(1), json);
    private final SendTemplateSimulator sendTemplate = new SendTemplateSimulator(clock,
            new ProviderChecks(json, KEY, calls), faults, windows, new ProviderAnswers(json, new SplittableRandom(1)));

    @Test
    void allowedWhenTheContactNeverWroteStartingAConversationButNoWindow() {
        JsonNode answer = parse(sendTemplate.answer(withKey(template(), KEY)));

        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("OK");
        assertThat(answer.get("templateTimeLeft").asText()).isEqualTo("0");
        assertThat(answer.get("sandbox").asBoolean()).isTrue();
        assertThat(windows.conversationEnd(ACCOUNT, CONTACT)).contains(START.plus(Duration.ofHours(24)));
        assertThat(windows.lastInbound(ACCOUNT, CONTACT)).isEmpty();
        assertThat(calls.received()).containsExactly(template());
    }

    @Test
    void insideTheWindowItTellsTheMinutesLeft() {
        windows.contactWrote(ACCOUNT, CONTACT, START);
        clock.advance(Duration.ofHours(1));

        assertThat(parse(sendTemplate.answer(withKey(template(), KEY))).get("templateTimeLeft").asText()).isEqualTo("1380");
    }

    @Test
    void sharesTheSendersChecksAndFaults() {
        assertFail(parse(sendTemplate.answer("{oops")), 2);
        assertFail(parse(sendTemplate.answer(template().toString())), 3);
        assertFail(parse(sendTemplate.answer(withKey(template().put("to", "050-123"), KEY))), 4);
        faults.change(0.0, 6);
        assertFail(parse(sendTemplate.answer(withKey(template(), KEY))), 6);
        assertThat(calls.count()).isEqualTo(4);
    }

    @Test
    void itsOwnRulesAreReason2NamingEveryField() {
        JsonNode answer = parse(sendTemplate.answer(withKey(template().put("headerType", 2).put("bodyVariable3", "x"), KEY)));

        assertFail(answer, 2);
        assertThat(answer.get("message").asText())
                .isEqualTo("headerType: must be 1 (none), 3 (image), 4 (video) or 5 (document);"
                        + " bodyVariable3: given without bodyVariable2");
    }
}
