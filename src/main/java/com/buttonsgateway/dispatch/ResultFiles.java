package com.buttonsgateway.dispatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

import com.buttonsgateway.provider.ProviderAnswer;
import com.buttonsgateway.request.ValidRequest;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes what a person reads: {@code <results>/<id>.json} for every finished message,
 * {@code <results>/<id>.duplicate.json} for a duplicate, and {@code <dead-letter>/<id>.json} (SPEC 7).
 * Files appear whole: written beside and moved into place.
 */
public final class ResultFiles {

    /** Temp names unique across processes sharing the folder (the prefix) and across threads (the counter). */
    private final String tempPrefix = Long.toHexString(ProcessHandle.current().pid()) + "-"
            + Long.toHexString(System.nanoTime() & 0xffffff) + "-";
    private final java.util.concurrent.atomic.AtomicLong temps = new java.util.concurrent.atomic.AtomicLong();

    private final ObjectMapper mapper;
    private final Path results;
    private final Path deadLetters;

    public ResultFiles(ObjectMapper mapper, Path results, Path deadLetters) {
        this.mapper = mapper;
        this.results = results;
        this.deadLetters = deadLetters;
    }

    public Path resultFile(String id) {
        return results.resolve(id + ".json");
    }

    /** {@code <results>/<id>.duplicate.json}: a repeated id, reported beside the original's result. */
    public Path duplicateFile(String id) {
        return results.resolve(id + ".duplicate.json");
    }

    public Path deadLetterFile(String id) {
        return deadLetters.resolve(id + ".json");
    }

    /** The result document of a finished (or, for the API, unfinished) message. */
    public ObjectNode result(StoredMessage m) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("id", m.id());
        doc.put("source", m.source());
        doc.put("route", m.route());
        doc.put("status", m.status().name());
        doc.put("reason", m.reason());
        JsonNode response = parse(m.providerResponse());
        doc.set("provider", provider(response));
        // SPEC 8: an answer from the built-in simulator says so; its message never reached WhatsApp
        if (response.path("sandbox").asBoolean(false)) {
            doc.put("sandbox", true);
        }
        doc.put("attempts", m.attempts());
        doc.put("acceptedAt", Instant.ofEpochMilli(m.acceptedAt()).toString());
        doc.put("finishedAt", m.finishedAt() == null ? null : Instant.ofEpochMilli(m.finishedAt()).toString());
        doc.set("errors", errors(m.errors()));
        if (m.problems() != null) {
            // refused at dispatch by field (the media pre-flight, SPEC 11): the shape of SPEC 3's problems
            doc.set("problems", errors(m.problems()));
        }
        if (m.deliveryStatus() != null) {
            doc.put("deliveryStatus", m.deliveryStatus());
        }
        // SPEC 5: when it was to be sent (a SCHEDULED message shows it in GET /api/messages/<id>); most have none
        if (m.request() != null && m.request().contains("\"sendAt\":\"")) {
            JsonNode sendAt = parse(m.request()).get("sendAt");
            if (sendAt != null && sendAt.isTextual()) {
                doc.put("sendAt", sendAt.asText());
            }
        }
        // most requests have no warnings: do not parse the whole request to find that out
        JsonNode warnings = m.request() != null && m.request().contains("\"warnings\":[\"") ? warnings(m.request()) : null;
        String replyTo = "template".equals(m.route()) ? replyToWarning(m.request()) : null;
        if (replyTo != null) {
            // Send Template cannot quote: the request's replyTo was not used (SPEC 3)
            ArrayNode all = warnings instanceof ArrayNode a ? a : mapper.createArrayNode();
            all.add(replyTo);
            warnings = all;
        }
        if (warnings != null && !warnings.isEmpty()) {
            doc.set("warnings", warnings);
        }
        return doc;
    }

    public void writeResult(StoredMessage m) {
        write(resultFile(m.id()), result(m));
    }

    /** A dead message: its result plus the request (never the API key: the store never had it), ready to replay. */
    public void writeDeadLetter(StoredMessage m) {
        ObjectNode doc = result(m);
        doc.set("request", parse(m.request()));
        write(deadLetterFile(m.id()), doc);
        writeResult(m);
    }

    /** A repeated id: reported beside the original's result, which stays untouched (SPEC 7). */
    public void writeDuplicate(String id, String source, Instant at) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("id", id);
        doc.put("source", source);
        doc.put("status", Status.DUPLICATE.name());
        doc.put("reason", "a message with this id was already accepted; not sent again");
        doc.put("acceptedAt", at.toString());
        doc.put("finishedAt", at.toString());
        write(duplicateFile(id), doc);
    }

    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + file, e);
        }
    }

    /**
     * The provider's answer as it came (SPEC 7): every field it answered (unique, reason, templateTimeLeft, timestamp,
     * from, to, body, buttons...), the echoed request of {@code showRequest} under the provider's own name for it, never
     * an API key.
     */
    private JsonNode provider(JsonNode json) {
        return json.isObject() && !json.isEmpty() ? ProviderAnswer.withoutApiKey(json) : mapper.nullNode();
    }

    private JsonNode errors(String errors) {
        JsonNode json = parse(errors);
        return json.isArray() ? json : mapper.createArrayNode();
    }

    /** The request's {@link ValidRequest#replyToWarning()}, or null when it has no replyTo. */
    private String replyToWarning(String request) {
        if (request == null || !request.contains("\"replyTo\":\"")) {
            return null;
        }
        try {
            return mapper.readValue(request, ValidRequest.class).replyToWarning();
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode warnings(String request) {
        return parse(request).get("warnings");
    }

    private JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private void write(Path target, JsonNode doc) {
        try {
            byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
            // a name of its own: two writers of one file (a duplicate, a rewrite after a crash) never share a temp file
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + tempPrefix + temps.incrementAndGet() + ".tmp");
            try {
                Files.write(tmp, bytes);
            } catch (java.nio.file.NoSuchFileException e) {
                Files.createDirectories(target.getParent()); // the folder was removed while running: made again
                Files.write(tmp, bytes);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
    }
}
