package com.buttonsgateway.intake;

/**
 * Hands one request document to the shared entry (the intake's accept step, SPEC 4) and returns what it
 * did, after the valid items are durably stored. Throws when the store could not be written: the caller must then
 * leave its source unacknowledged (SPEC 4). Lets intake beans stay free of Camel.
 */
@FunctionalInterface
public interface Acceptor {

    /**
     * @param document   the request document as JSON text: one object or an array
     * @param source     what results and logs show, e.g. {@code db:42}
     * @param sourceName what derived ids are built from (SPEC 3), e.g. the row key or the Message-ID without {@code <>}
     */
    AcceptResult accept(String document, String source, String sourceName);

    /**
     * As {@link #accept}, but returns at once: the future completes after the commit, so a caller with several
     * documents hands them all over first and lets the store write them in shared transactions.
     */
    default java.util.concurrent.CompletableFuture<AcceptResult> acceptAsync(String document, String source, String sourceName) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(accept(document, source, sourceName));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
