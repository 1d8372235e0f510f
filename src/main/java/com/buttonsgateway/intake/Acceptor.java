package com.buttonsgateway.intake;

/**
 * Hands one request document to the shared entry route {@code direct:accept-request} (SPEC 4.5) and returns what it
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
}
