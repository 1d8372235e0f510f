package com.buttonsgateway.webhook;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The words with which a contact opts out of an account's messages, or back in (SPEC 5): an incoming text message
 * whose whole body, trimmed and case-folded, is one of {@code gateway.optout.keywords} (default
 * {@code STOP,UNSUBSCRIBE,הסר,ביטול}) or {@code gateway.optin.keywords} (default {@code START}). "Please stop" is
 * not one: only the word itself is.
 */
public final class OptOutKeywords {

    /** What an incoming text asks for. */
    public enum Change { OPT_OUT, OPT_IN, NONE }

    private final Set<String> out;
    private final Set<String> in;

    /**
     * @param optOut comma-separated, gateway.optout.keywords
     * @param optIn  comma-separated, gateway.optin.keywords
     * @throws IllegalArgumentException when one word is in both (naming it and the keys)
     */
    public OptOutKeywords(String optOut, String optIn) {
        this.out = words(optOut);
        this.in = words(optIn);
        for (String word : out) {
            if (in.contains(word)) {
                throw new IllegalArgumentException("'" + word + "' is in both gateway.optout.keywords and gateway.optin.keywords");
            }
        }
    }

    /** What the body of an incoming text message asks for; NONE for anything but a keyword (or no body). */
    public Change of(String body) {
        if (body == null) {
            return Change.NONE;
        }
        String word = fold(body);
        return out.contains(word) ? Change.OPT_OUT : in.contains(word) ? Change.OPT_IN : Change.NONE;
    }

    private static Set<String> words(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).map(OptOutKeywords::fold).filter(w -> !w.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Trimmed, composed (NFC) and case-folded: "Stop ", "STOP" and "stop" are one word. Trimming takes any Unicode space
     * (a no-break space too) and the invisible format marks a phone adds around right-to-left text (U+200F...).
     */
    static String fold(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && blank(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && blank(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        String composed = Normalizer.normalize(text.substring(start, end), Normalizer.Form.NFC);
        // upper then lower: the full case folding for the scripts that have case (ß -> SS -> ss); Hebrew has none
        return composed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    private static boolean blank(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || Character.getType(codePoint) == Character.FORMAT;
    }
}
