package com.buttonsgateway.sandbox;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * A provider {@code FAIL}: its reason (2..8) and a message. Control flow inside one sandbox call: thrown by the
 * checks and the faults, caught by the sender and answered by {@link ProviderAnswers#fail}; never leaves the sandbox.
 */
final class Refused extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int reason;

    Refused(int reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Reason 2 naming every problem once, in the order found (SPEC 8: "a message naming the field"). */
    static Refused reason2(List<String> problems) {
        return new Refused(2, String.join("; ", new LinkedHashSet<>(problems)));
    }

    int reason() {
        return reason;
    }

    /** The provider's reasons in words (provider/README.md). */
    static String words(int reason) {
        return switch (reason) {
            case 1 -> "OK";
            case 2 -> "the from account does not exist, or JSON syntax error";
            case 3 -> "wrong apiKey";
            case 4 -> "to empty or wrong number format";
            case 5 -> "body empty";
            case 6 -> "WhatsApp error - try again";
            case 7 -> "more than 24 hours since the client's last message - use a template";
            case 8 -> "first message to this contact - use a template";
            default -> "reason " + reason;
        };
    }
}
