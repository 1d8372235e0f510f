package com.buttonsgateway.intake;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.buttonsgateway.request.RequestDocument;

/**
 * Hands the items of one source, parsed by the intake that read it, to the shared entry (the accept step, SPEC 4)
 * and returns what it did, after the valid items are durably stored. Throws when the store could not be written: the
 * caller must then leave its source unacknowledged (SPEC 4). Lets intake beans stay free of Camel.
 */
@FunctionalInterface
public interface Acceptor {

    /**
     * @param items      the source's request items in its order, each numbered by its place in the whole source (SPEC 3:
     *                   a mail's attachments count on from each other); validated as they are, not parsed again
     * @param source     what results and logs show, e.g. {@code db:42}
     * @param sourceName what derived ids are built from (SPEC 3), e.g. the row key or the Message-ID without {@code <>}
     */
    AcceptResult accept(List<RequestDocument.Item> items, String source, String sourceName);

    /**
     * As {@link #accept}, but returns at once: the future completes after the commit, so a caller with several
     * sources hands them all over first and lets the store write them in shared transactions.
     */
    default CompletableFuture<AcceptResult> acceptAsync(List<RequestDocument.Item> items, String source, String sourceName) {
        try {
            return CompletableFuture.completedFuture(accept(items, source, sourceName));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
