package com.buttonsgateway.sandbox;

import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.assertFail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SandboxFaultsTest extends SandboxFixture {

    @Test
    void failRateOneAlwaysAnswersReason6() {
        SandboxProvider sandbox = new SandboxProvider(clock, null, 1.0, null, new SplittableRandom(7));
        contactWrites(sandbox);

        for (int i = 0; i < 200; i++) {
            JsonNode buttons = parse(sandbox.sendButtons(buttons().toString()));
            JsonNode template = parse(sandbox.sendTemplate(template().toString()));
            assertFail(buttons, 6);
            assertFail(template, 6);
            assertThat(buttons.get("message").asText()).contains("WhatsApp error - try again");
        }
    }

    @Test
    void failRateZeroNeverAnswersReason6() {
        SandboxProvider sandbox = new SandboxProvider(clock, null, 0.0, null, new SplittableRandom(7));
        contactWrites(sandbox);

        for (int i = 0; i < 500; i++) {
            assertThat(parse(sandbox.sendButtons(buttons().toString())).get("status").asText()).isEqualTo("OK");
        }
    }

    @Test
    void failRateIsAFractionOfCalls() {
        SandboxProvider sandbox = new SandboxProvider(clock, null, 0.3, null, new SplittableRandom(7));
        contactWrites(sandbox);

        int failed = 0;
        for (int i = 0; i < 2000; i++) {
            JsonNode answer = parse(sandbox.sendButtons(buttons().toString()));
            if (answer.get("status").asText().equals("FAIL")) {
                assertThat(answer.get("reason").asInt()).isEqualTo(6);
                failed++;
            }
        }
        assertThat(failed).isBetween(500, 700);
    }

    @Test
    void failReasonIsForcedOnEveryCallAfterTheSyntaxAndKeyChecks() {
        SandboxProvider sandbox = new SandboxProvider(clock, KEY, 0.0, 7, new SplittableRandom(7));
        contactWrites(sandbox);

        JsonNode buttons = parse(sandbox.sendButtons(withKey(buttons(), KEY)));
        JsonNode template = parse(sandbox.sendTemplate(withKey(template(), KEY)));

        assertFail(buttons, 7);
        assertThat(buttons.get("message").asText()).contains("more than 24 hours");
        assertFail(template, 7);
        assertFail(parse(sandbox.sendButtons("nope")), 2);
        assertFail(parse(sandbox.sendButtons(withKey(buttons(), "bad"))), 3);
    }

    @Test
    void forcedReasonWinsOverFailRate() {
        SandboxProvider sandbox = new SandboxProvider(clock, null, 1.0, 2, new SplittableRandom(7));

        assertFail(parse(sandbox.sendTemplate(template().toString())), 2);
    }

    @Test
    void constructorRefusesImpossibleFaults() {
        SplittableRandom random = new SplittableRandom(7);
        assertThatThrownBy(() -> new SandboxProvider(clock, null, 1.5, null, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failRate");
        assertThatThrownBy(() -> new SandboxProvider(clock, null, Double.NaN, null, random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SandboxProvider(clock, null, 0.0, 1, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failReason");
        assertThatThrownBy(() -> new SandboxProvider(clock, null, 0.0, 9, random))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
