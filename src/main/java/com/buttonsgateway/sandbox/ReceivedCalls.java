package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What the sandbox's senders received, for tests and demos: how many Send Buttons / Send Template calls came, valid
 * or not, and the last {@link #KEPT} of them that parsed as JSON, without {@code apiKey}. Thread-safe.
 */
final class ReceivedCalls {

    /** A long-running sandbox must not grow without end: only the newest requests are kept. */
    static final int KEPT = 1000;

    private final Object lock = new Object();
    private final ArrayDeque<JsonNode> kept = new ArrayDeque<>();
    private int count;

    /** Counts one call; keeps a copy of its request without any {@code apiKey} ({@code null}: it was not JSON). */
    void record(JsonNode request) {
        synchronized (lock) {
            count++;
            if (request != null) {
                if (kept.size() >= KEPT) {
                    kept.pollFirst();
                }
                kept.addLast(ProviderChecks.withoutApiKey(request));
            }
        }
    }

    /** The kept requests in arrival order, as copies the caller may change. */
    List<JsonNode> received() {
        synchronized (lock) {
            return kept.stream().<JsonNode>map(JsonNode::deepCopy).toList();
        }
    }

    int count() {
        synchronized (lock) {
            return count;
        }
    }
}
