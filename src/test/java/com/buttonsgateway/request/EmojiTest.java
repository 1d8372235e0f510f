package com.buttonsgateway.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unicode's emoji properties, code point by code point (the old block list let these through). */
class EmojiTest {

    @ParameterizedTest
    @ValueSource(ints = {0x00A9, 0x00AE, 0x2122, 0x2197, 0x25FE, 0x25B6, 0x2764, 0x1F600, 0x1F1EE, 0x1F3FD,
            0xFE0F, 0x20E3, 0x1FAE8})
    void pictographsModifiersAndEmojiStyleAreEmoji(int c) {
        assertThat(Emoji.isEmoji(c)).as("U+%04X", c).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {'a', 'Z', '0', '9', '#', '*', ' ', '!', '?', '.', ',', '-', '(', '&', '%', '/', '"',
            0x05D0, 0x05EA, 0x00E9, 0x00E7, 0x00DF, 0x00B7, 0x2192, 0x2013, 0x20AA, 0x200D, 0x0627})
    void lettersDigitsAndPunctuationAreNot(int c) {
        assertThat(Emoji.isEmoji(c)).as("U+%04X", c).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1️⃣", "#️⃣", "🇮🇱", "👩‍💻", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"})
    void sequencesAreCaughtByOneOfTheirParts(String sequence) {
        assertThat(Emoji.in(sequence)).isTrue();
    }
}
