package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefusedTest {

    @Test
    void reason2ListsEachProblemOnceInTheOrderFound() {
        Refused r = Refused.reason2(List.of("b: x", "a: y", "b: x"));

        assertThat(r.reason()).isEqualTo(2);
        assertThat(r).hasMessage("b: x; a: y");
    }

    @Test
    void reasonsInTheProvidersWords() {
        assertThat(Refused.words(3)).isEqualTo("wrong apiKey");
        assertThat(Refused.words(6)).isEqualTo("WhatsApp error - try again");
        assertThat(Refused.words(7)).isEqualTo("more than 24 hours since the client's last message - use a template");
        assertThat(Refused.words(8)).isEqualTo("first message to this contact - use a template");
        assertThat(Refused.words(42)).isEqualTo("reason 42");
    }
}
