package com.buttonsgateway.provider;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;

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
        if (!message.isBlank()) {
            detail = message.startsWith(words) ? "reason " + reason + ": " + message : detail + " (" + message + ")";
        }
        return new CallOutcome(kind, reason, detail, null, timeLeft);
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
