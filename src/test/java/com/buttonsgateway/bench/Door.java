package com.buttonsgateway.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * One way a user hands messages to the gateway (its inbox, its HTTP API, a legacy table, a mailbox), as {@link IntakeBench}
 * drives it: {@link #prepare} does untimed what a producer would have done before (files written in a staging folder,
 * requests built, rows inserted but not committed), {@link #handOver} is the timed act that gives them to the gateway.
 */
interface Door extends AutoCloseable {

    /** The forked gateway's home (its inbox is {@code <home>/data/inbox}) and HTTP port. */
    record Gateway(Path home, int port) {
        Path inbox() {
            return home.resolve("data/inbox");
        }
    }

    /** Gateway properties this door needs (the poller's SQL, the mailbox...). Called once, before the gateway starts. */
    default Map<String, String> properties() {
        return Map.of();
    }

    /** Untimed: everything up to the handover itself. */
    void prepare(Gateway gateway, Messages items) throws Exception;

    /** Timed: hands the prepared items over; sets {@code at[i]} to the System.nanoTime() at which item i was handed over. */
    void handOver(Gateway gateway, Messages items, long[] at) throws Exception;

    /** How the items are handed over, for the report's title (e.g. "files x10000"). */
    String describe(int messages);

    @Override
    default void close() throws Exception {
    }
}
