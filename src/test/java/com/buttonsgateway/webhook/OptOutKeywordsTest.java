package com.buttonsgateway.webhook;

import com.buttonsgateway.webhook.OptOutKeywords.Change;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC 5's keywords: the whole text, trimmed and case-folded, without Camel. */
class OptOutKeywordsTest {

    private final OptOutKeywords defaults = new OptOutKeywords("STOP,UNSUBSCRIBE,הסר,ביטול", "START");

    @Test
    void theDefaultWordsInAnyCaseWithSpaceAroundThem() {
        for (String text : new String[] {"STOP", "stop", " Stop\n", "UnSubscribe", "הסר", " ביטול ", "\u00a0STOP\u2003", "\u200fהסר\u200f"}) {
            assertThat(defaults.of(text)).as(text).isEqualTo(Change.OPT_OUT);
        }
        for (String text : new String[] {"START", "start", "  Start  "}) {
            assertThat(defaults.of(text)).as(text).isEqualTo(Change.OPT_IN);
        }
    }

    @Test
    void onlyTheWordItselfNotASentenceThatContainsIt() {
        for (String text : new String[] {"please stop", "STOP!", "stopped", "הסר אותי", "", "   ", "START NOW"}) {
            assertThat(defaults.of(text)).as(text).isEqualTo(Change.NONE);
        }
        assertThat(defaults.of(null)).isEqualTo(Change.NONE);
    }

    @Test
    void configuredWordsAreFoldedTheSameWay() {
        OptOutKeywords custom = new OptOutKeywords(" Arrêt , STRASSE ,, ", "Weiter");
        assertThat(custom.of("ARRÊT")).isEqualTo(Change.OPT_OUT);
        // composed and decomposed ê are one letter; ß folds to ss
        assertThat(custom.of("arre\u0302t")).isEqualTo(Change.OPT_OUT);
        assertThat(custom.of("straße")).isEqualTo(Change.OPT_OUT);
        assertThat(custom.of("weiter")).isEqualTo(Change.OPT_IN);
        assertThat(custom.of("stop")).isEqualTo(Change.NONE);
        assertThat(new OptOutKeywords("", "").of("STOP")).isEqualTo(Change.NONE);
    }

    @Test
    void aWordInBothListsIsAConfigurationError() {
        assertThatThrownBy(() -> new OptOutKeywords("STOP,Start", "START"))
                .hasMessageContaining("gateway.optout.keywords").hasMessageContaining("gateway.optin.keywords").hasMessageContaining("start");
    }
}
