package com.buttonsgateway.provider;

/**
 * What one provider call means for the message (SPEC 7).
 *
 * @param kind             what to do next
 * @param reasonCode       the provider's reason, or null when the provider gave none
 * @param detail           the failure in words (never a secret), or null when sent
 * @param unique           the provider's message id, when sent
 * @param templateTimeLeft minutes left of the window, when the provider said
 */
public record CallOutcome(Kind kind, Integer reasonCode, String detail, String unique, Long templateTimeLeft) {

    public enum Kind {
        /** Accepted by the provider. */
        SENT,
        /** Network error, timeout, HTTP 5xx/429 or reason 6: try again after a backoff. */
        RETRY,
        /** Reason 7/8: the window is closed; re-route by the closed-window policy. */
        WINDOW_CLOSED,
        /** Reason 2/3 for an account: pause the account, the message waits. */
        PAUSE_ACCOUNT,
        /** Reason 2 (account does not exist): paused only if the account ever had an OK, otherwise dead. */
        ACCOUNT_UNKNOWN,
        /** Anything else: dead at once. */
        FINAL
    }

    /** The error kind written to the message's history. */
    public String errorKind() {
        return reasonCode != null ? "provider-reason-" + reasonCode : detail != null && detail.startsWith("HTTP ") ? "http" : "network";
    }
}
