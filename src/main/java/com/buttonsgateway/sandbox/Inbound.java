package com.buttonsgateway.sandbox;

import java.util.Objects;

/**
 * A contact's message played into the sandbox (SPEC §8): the provider's {@code unique} for it and the
 * incoming-message webhook payload, exactly in the provider's shape, that the caller delivers to the
 * gateway's webhook URL.
 */
public record Inbound(String unique, String webhookJson) {

    public Inbound {
        Objects.requireNonNull(unique, "unique");
        Objects.requireNonNull(webhookJson, "webhookJson");
        if (!unique.matches("[0-9A-Za-z]+")) {
            throw new IllegalArgumentException("unique must be letters and digits, like the provider's");
        }
    }

    /** The {@code 202} answer to {@code POST /sandbox/inbound}: {@code {"unique": ...}} (SPEC 8). */
    public String answerJson() {
        return "{\"unique\":\"" + unique + "\"}";
    }
}
