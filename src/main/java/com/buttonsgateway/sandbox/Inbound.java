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
    }
}
