package com.buttonsgateway.store;

/**
 * One row of the store as the dispatcher and the API see it. Times are epoch milliseconds. {@code claimToken} is the
 * token of the claim a SENDING row is under (null otherwise): the outcome of a call is written only under it.
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
        String claimToken) {
}
