package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultInjectorTest {

    private static FaultInjector faults(double failRate, Integer failReason) {
        return new FaultInjector(failRate, failReason, new SplittableRandom(7), ProviderChecks.providerJson());
    }

    @Test
    void withoutFaultsEveryCallGoesOn() {
        FaultInjector none = faults(0.0, null);

        for (int i = 0; i < 500; i++) {
            none.inject();
        }
    }

    @Test
    void aForcedReasonRefusesEveryCallAndWinsOverTheRate() {
        Refused r = catchThrowableOfType(Refused.class, () -> faults(1.0, 7).inject());

        assertThat(r.reason()).isEqualTo(7);
        assertThat(r).hasMessage("more than 24 hours since the client's last message - use a template"
                + " (forced by the sandbox fail-reason)");
    }

    @Test
    void theRateIsTheShareOfCallsRefusedWithReason6() {
        FaultInjector some = faults(0.3, null);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            try {
                some.inject();
            } catch (Refused r) {
                assertThat(r.reason()).isEqualTo(6);
                assertThat(r).hasMessage("WhatsApp error - try again (injected by the sandbox fail-rate)");
                refused++;
            }
        }

        assertThat(refused).isBetween(500, 700);
    }

    @Test
    void switchedWhileRunningFromJsonAndAnsweredAsNowInForce() {
        FaultInjector faults = faults(0.0, null);

        assertThat(faults.change("{\"failRate\": 0.5, \"failReason\": 6}")).isEqualTo("{\"failRate\":0.5,\"failReason\":6}");
        assertThatThrownBy(faults::inject).isInstanceOf(Refused.class);
        assertThat(faults.change("{}")).isEqualTo("{\"failRate\":0.0,\"failReason\":null}");
        faults.inject();
        assertThat(faults.change("{\"failReason\": 3}")).isEqualTo("{\"failRate\":0.0,\"failReason\":3}");
    }

    @Test
    void switchedWhileRunningFromJava() {
        FaultInjector faults = faults(0.0, null);

        faults.change(0.0, 2);
        assertThat(catchThrowableOfType(Refused.class, faults::inject).reason()).isEqualTo(2);
        faults.change(0.0, null);
        faults.inject();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '|', value = {
        "not json                       | body must be a JSON object like {\"failRate\": 0.5, \"failReason\": null}",
        "''                             | body must be a JSON object like",
        "[]                             | body must be a JSON object like",
        "{'failRate':'half'}            | failRate must be a number from 0 to 1",
        "{'failRate':1.5}               | failRate must be between 0 and 1, got 1.5",
        "{'failReason':'x'}             | failReason must be a provider reason 2..8, or null",
        "{'failReason':'3'}             | failReason must be a provider reason 2..8, or null",
        "{'failReason':9}               | failReason must be a provider FAIL reason 2..8, got 9"})
    void badFaultsAreRefusedNamingTheFieldAndChangeNothing(String json, String message) {
        FaultInjector faults = faults(0.0, 5);

        assertThatThrownBy(() -> faults.change(json.replace('\'', '"')))
                .isInstanceOf(SandboxInputException.class)
                .hasMessageContaining(message);
        assertThat(catchThrowableOfType(Refused.class, faults::inject).reason()).isEqualTo(5);
    }

    @Test
    void impossibleFaultsAreRefusedFromJavaToo() {
        assertThatThrownBy(() -> faults(Double.NaN, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failRate");
        assertThatThrownBy(() -> faults(0.0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failReason");
        assertThatThrownBy(() -> faults(0.0, null).change(-0.1, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
