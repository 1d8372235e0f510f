package com.buttonsgateway.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldNamesTest {

    @Test
    void levenshtein() {
        assertThat(FieldNames.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(FieldNames.levenshtein("", "abc")).isEqualTo(3);
        assertThat(FieldNames.levenshtein("same", "same")).isZero();
    }

    @Test
    void closestIgnoresCase() {
        assertThat(FieldNames.closest("BUTTONEXTERNAL", FieldNames.REQUEST, Integer.MAX_VALUE))
                .isEqualTo("buttonExternal");
        assertThat(FieldNames.closest("tp", FieldNames.REQUEST, Integer.MAX_VALUE)).isEqualTo("to");
        assertThat(FieldNames.closest("zzzzzz", FieldNames.TEMPLATE, 1)).isNull();
    }

    @Test
    void requestNamesMatchTheSpec() {
        assertThat(FieldNames.REQUEST).hasSize(20).contains("sendAt").doesNotContain("apiKey");
        assertThat(KnownFields.request()).contains("sendAt");
        assertThat(FieldNames.TEMPLATE).hasSize(13).contains("bodyVariable10").doesNotContain("bodyVariable11");
    }
}
