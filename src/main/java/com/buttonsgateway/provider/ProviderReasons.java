package com.buttonsgateway.provider;

import java.util.Map;

/** The provider's {@code reason} codes in words, as its pages word them (shared/provider/README.md). */
public final class ProviderReasons {

    private static final Map<Integer, String> WORDS = Map.of(
            1, "OK",
            2, "the from account does not exist, or JSON syntax error",
            3, "wrong apiKey",
            4, "to empty or wrong number format",
            5, "body empty",
            6, "WhatsApp error - try again",
            7, "more than 24 hours since the client's last message - use a template",
            8, "first message to this contact - use a template");

    private ProviderReasons() {
    }

    public static String words(int reason) {
        return WORDS.getOrDefault(reason, "provider reason " + reason);
    }

    /** "reason 7: more than 24 hours ..." */
    public static String describe(int reason) {
        return "reason " + reason + ": " + words(reason);
    }
}
