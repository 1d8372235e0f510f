package com.buttonsgateway.store;

/**
 * A validated item on its way into the store; {@code request} is the normalised request as JSON (no API key).
 * {@code notBefore} (epoch milliseconds) is its {@code sendAt} when that is still ahead: it is stored SCHEDULED until
 * then (SPEC 5); null sends it now.
 */
public record NewMessage(String id, String source, String account, String contact, String request, Long notBefore) {

    public NewMessage(String id, String source, String account, String contact, String request) {
        this(id, source, account, contact, request, null);
    }

    public Status status() {
        return notBefore == null ? Status.QUEUED : Status.SCHEDULED;
    }
}
