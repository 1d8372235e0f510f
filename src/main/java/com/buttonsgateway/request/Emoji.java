package com.buttonsgateway.request;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;

/**
 * Whether a text holds emoji: the external button's label may not (provider's Send Buttons page,
 * SPEC 3). Unicode's own properties decide, through ICU4J (Java 17 has none): Extended_Pictographic
 * covers every pictograph, including text-default ones such as ©, ™, ↗ and ▶ that WhatsApp draws as
 * emoji; Emoji_Presentation adds regional indicators (flags) and skin-tone modifiers. Digits, {@code #}
 * and {@code *} carry the plain Emoji property only because of keycaps, so that property is not used;
 * a keycap or emoji-style sequence is caught by its U+FE0F or U+20E3 instead.
 */
final class Emoji {

    private static final int EMOJI_STYLE = 0xFE0F;
    private static final int COMBINING_KEYCAP = 0x20E3;

    private Emoji() {
    }

    static boolean in(String text) {
        return text.codePoints().anyMatch(Emoji::isEmoji);
    }

    static boolean isEmoji(int c) {
        return c == EMOJI_STYLE || c == COMBINING_KEYCAP
                || UCharacter.hasBinaryProperty(c, UProperty.EXTENDED_PICTOGRAPHIC)
                || UCharacter.hasBinaryProperty(c, UProperty.EMOJI_PRESENTATION);
    }
}
