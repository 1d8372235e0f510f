package com.buttonsgateway.request;

import java.util.Objects;

/**
 * One thing wrong with a request or a document (SPEC 3): which field, a short machine word for the
 * rule, and a sentence for a person. Messages name fields and limits, never values of secrets.
 */
public record Problem(String field, String rule, String message) {

    public Problem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** Problems in words, for logs and a legacy row's reason column: {@code field: message; field: message}. */
    public static String inWords(java.util.List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(p.field()).append(": ").append(p.message());
        }
        return sb.toString();
    }
}
