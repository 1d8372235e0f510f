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
}
