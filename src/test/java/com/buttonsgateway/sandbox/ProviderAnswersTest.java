package com.buttonsgateway.sandbox;

import static com.buttonsgateway.sandbox.SandboxSendButtonsTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProviderAnswersTest extends SandboxFixture {

    @Test
    void uniquesLookLikeTheProvidersAndNeverRepeatEvenWithADegenerateRandom() {
        ProviderAnswers answers = new ProviderAnswers(ProviderChecks.providerJson(), () -> 0L);
        Set<String> uniques = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            uniques.add(answers.unique());
        }

        assertThat(uniques).hasSize(1000).allMatch(u -> u.matches("[0-9A-F]{22}"));
    }

    @Test
    void aFailHasTheProvidersShapeMarkedAsTheSandboxs() {
        ProviderAnswers answers = new ProviderAnswers(ProviderChecks.providerJson(), new SplittableRandom(1));

        JsonNode fail = parse(answers.fail(new Refused(4, "to: empty"), START));

        assertThat(fieldNames(fail)).containsExactly("status", "reason", "message", "timestamp", "sandbox");
        assertThat(fail.get("status").asText()).isEqualTo("FAIL");
        assertThat(fail.get("reason").asInt()).isEqualTo(4);
        assertThat(fail.get("message").asText()).isEqualTo("to: empty");
        assertThat(fail.get("timestamp").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(fail.get("sandbox").asBoolean()).isTrue();
    }
}
