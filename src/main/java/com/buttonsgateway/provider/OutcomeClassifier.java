package com.buttonsgateway.provider;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Classifies one provider call: its HTTP status and body, or the exception it ended with (SPEC 7). */
public final class OutcomeClassifier {

    private final ObjectMapper mapper;

    public OutcomeClassifier(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public CallOutcome classify(int httpStatus, String body) {
        if (httpStatus == 429 || httpStatus >= 500) {
            return new CallOutcome(CallOutcome.Kind.RETRY, null, "HTTP " + httpStatus + snippet(body), null, null);
        }
        if (httpStatus >= 400 || httpStatus < 200 || httpStatus >= 300) {
            return new CallOutcome(CallOutcome.Kind.FINAL, null, "HTTP " + httpStatus + snippet(body), null, null);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            return new CallOutcome(CallOutcome.Kind.RETRY, null, "HTTP " + httpStatus + " with a body that is not JSON" + snippet(body),
                    null, null);
        }
        if (json == null || !json.isObject()) {
            return new CallOutcome(CallOutcome.Kind.RETRY, null, "HTTP " + httpStatus + " with an empty or non-object answer", null, null);
        }
        Long timeLeft = number(json.get("templateTimeLeft"));
        String status = json.path("status").asText("");
        Long reasonValue = number(json.get("reason"));
        Integer reason = reasonValue == null ? null : reasonValue.intValue();
        if ("OK".equalsIgnoreCase(status)) {
            return new CallOutcome(CallOutcome.Kind.SENT, reason, null, json.path("unique").asText(null), timeLeft);
        }
        if (reason == null) {
            return new CallOutcome(CallOutcome.Kind.FINAL, null, "provider answered status '" + status + "' without a reason", null, timeLeft);
        }
        String detail = ProviderReasons.describe(reason);
        CallOutcome.Kind kind = switch (reason) {
            case 6 -> CallOutcome.Kind.RETRY;
            case 7, 8 -> CallOutcome.Kind.WINDOW_CLOSED;
            case 3 -> CallOutcome.Kind.PAUSE_ACCOUNT;
            case 2 -> CallOutcome.Kind.ACCOUNT_UNKNOWN;
            default -> CallOutcome.Kind.FINAL;
        };
        // the provider's own words, kept readable in the message's history and reason (an answer may be up to 64 KB)
        String message = com.buttonsgateway.store.Columns.fitText(json.path("message").asText(""), 500);
        String words = ProviderReasons.words(reason);
        if (reason == 2 && refusesTheMessage(message)) {
            // SPEC 7: reason 2 naming a field or the JSON is this message's fault, not the account's: final, no pause
            return new CallOutcome(CallOutcome.Kind.FINAL, reason, "reason 2: " + message, null, timeLeft);
        }
        if (!message.isBlank()) {
            detail = message.startsWith(words) ? "reason " + reason + ": " + message : detail + " (" + message + ")";
        }
        return new CallOutcome(kind, reason, detail, null, timeLeft);
    }

    /** "field: problem" or "field1..field10: problem" at the start of a message or of one of its "; " parts. */
    private static final Pattern FIELD = Pattern.compile("(?:^|;\\s*)\\s*([A-Za-z][A-Za-z0-9_]*(?:\\.\\.[A-Za-z0-9_]+)?)\\s*:");
    /** Words about the sender account rather than the message: then reason 2 keeps its account meaning. */
    private static final Pattern ACCOUNT = Pattern.compile("(?i)\\baccount\\b");

    /**
     * True when a reason 2's message names a field of the request or the JSON (a syntax error, an unknown field) and
     * says nothing of the account ({@code from}, its number): the provider refuses this message, the account is fine.
     */
    static boolean refusesTheMessage(String message) {
        if (message == null || message.isBlank() || ACCOUNT.matcher(message).find()) {
            return false;
        }
        boolean field = false;
        java.util.regex.Matcher named = FIELD.matcher(message);
        while (named.find()) {
            if ("from".equals(named.group(1))) {
                return false;
            }
            field = true;
        }
        return field || message.contains("JSON") || message.toLowerCase(java.util.Locale.ROOT).contains("unknown field");
    }

    /** A call that never got an answer: network errors and timeouts are retried. */
    public CallOutcome failed(Throwable error) {
        String what = error instanceof BoundedAnswer.TooLargeException ? "answer too large"
                : error instanceof SocketTimeoutException || error instanceof HttpTimeoutException
                || error.getClass().getSimpleName().contains("Timeout")
                ? "timeout" : error instanceof ConnectException ? "connection refused" : "network error";
        String message = error.getMessage() == null ? "" : ": " + error.getMessage();
        return new CallOutcome(CallOutcome.Kind.RETRY, null, what + " (" + error.getClass().getSimpleName() + message + ")", null, null);
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.replaceAll("\\s+", " ").trim();
        return ": " + (one.length() > 200 ? one.substring(0, 200) + "..." : one);
    }

    private static Long number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        try {
            return Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
