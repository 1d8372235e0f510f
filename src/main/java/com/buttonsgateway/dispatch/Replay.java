package com.buttonsgateway.dispatch;

import java.io.IOException;

import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A dead letter sent again (SPEC 7): from the admin API, the console, or a file moved into {@code <dead-letter>/replay/}. */
public final class Replay {

    public enum Outcome { REPLAYED, NOT_FOUND, NOT_DEAD }

    private final MessageStore store;
    private final ResultFiles results;
    private final ObjectMapper mapper;

    public Replay(MessageStore store, ResultFiles results, ObjectMapper mapper) {
        this.store = store;
        this.results = results;
        this.mapper = mapper;
    }

    /** DEAD -> QUEUED with a fresh attempt count; its dead-letter file goes (it is no longer dead). */
    public Outcome replay(String id) {
        StoredMessage m = id == null ? null : store.find(id).orElse(null);
        if (m == null) {
            return Outcome.NOT_FOUND;
        }
        if (m.status() != Status.DEAD || !store.apply(m, Transition.of(Status.DEAD, Status.QUEUED).freshAttempts().rerouted(false)
                .nextAttemptAt(store.now()).reason("replayed"))) {
            return Outcome.NOT_DEAD;
        }
        results.delete(results.deadLetterFile(id));
        return Outcome.REPLAYED;
    }

    /** A dead-letter file moved into {@code <dead-letter>/replay/}: replays the message it names. */
    public Outcome replayFile(String json) {
        try {
            JsonNode doc = mapper.readTree(json);
            return replay(doc == null ? null : doc.path("id").asText(null));
        } catch (IOException e) {
            return Outcome.NOT_FOUND;
        }
    }
}
