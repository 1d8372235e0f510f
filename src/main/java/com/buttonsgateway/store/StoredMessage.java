package com.buttonsgateway.store;

/**
 * One row of the store as the dispatcher and the API see it. Times are epoch milliseconds. {@code claimToken} is the
 * token of the claim a SENDING row is under (null otherwise): the outcome of a call is written only under it.
 * {@code problems} is the JSON array of a message refused at dispatch with problems by field (the media pre-flight,
 * SPEC 11), null otherwise.
 */
public record StoredMessage(
        long seq,
        String id,
        String source,
        String account,
        String contact,
        String request,
        Status status,
        String route,
        int attempts,
        long acceptedAt,
        Long finishedAt,
        String reason,
        String providerUnique,
        String providerResponse,
        String errors,
        String deliveryStatus,
        boolean rerouted,
        String claimToken,
        String problems) {

    /** The same row without problems (the form before V11_1), kept for callers that build one by hand. */
    public StoredMessage(long seq, String id, String source, String account, String contact, String request, Status status,
                         String route, int attempts, long acceptedAt, Long finishedAt, String reason, String providerUnique,
                         String providerResponse, String errors, String deliveryStatus, boolean rerouted, String claimToken) {
        this(seq, id, source, account, contact, request, status, route, attempts, acceptedAt, finishedAt, reason, providerUnique,
                providerResponse, errors, deliveryStatus, rerouted, claimToken, null);
    }

    /** The same row with these problems. */
    public StoredMessage withProblems(String json) {
        return new StoredMessage(seq, id, source, account, contact, request, status, route, attempts, acceptedAt, finishedAt, reason,
                providerUnique, providerResponse, errors, deliveryStatus, rerouted, claimToken, json);
    }
}
