package com.buttonsgateway.request;

/**
 * Whether a text holds emoji: the external button's label may not (provider's Send Buttons page,
 * SPEC 3). Emoji have no single Unicode property in Java, so the blocks they live in are listed.
 */
final class Emoji {

    private Emoji() {
    }

    static boolean in(String text) {
        return text.codePoints().anyMatch(Emoji::isEmoji);
    }

    private static boolean isEmoji(int c) {
        return (c >= 0x1F000 && c <= 0x1FAFF)      // mahjong .. symbols and pictographs extended-A
                || (c >= 0x2600 && c <= 0x27BF)     // miscellaneous symbols, dingbats
                || (c >= 0x2300 && c <= 0x23FF)     // watch, hourglass, media controls
                || (c >= 0x2B05 && c <= 0x2B55)     // arrows, squares, star, circle
                || (c >= 0xE0020 && c <= 0xE007F)   // tag sequences (flags of regions)
                || c == 0xFE0F || c == 0x200D || c == 0x20E3  // emoji presentation, joiner, keycap
                || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
    }
}
