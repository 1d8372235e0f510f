package com.buttonsgateway.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import com.buttonsgateway.request.LogText;
import com.buttonsgateway.dispatch.ResultFiles;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.request.RequestIds;
import com.buttonsgateway.request.RequestValidator;
import com.buttonsgateway.request.Validation;
import com.buttonsgateway.store.InboxClaims;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.NewMessage;
import com.buttonsgateway.store.Status;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared entry of every intake (SPEC 4, {@code direct:accept-request}): parse the document, validate each item,
 * give it its id, and store the valid ones durably. Returns only after the store committed, so the caller may
 * then acknowledge its source. A document is parsed once: HTTP and users' routes hand in its bytes
 * ({@link #accept(Object, String, String, String)}), the inbox too ({@link #acceptAsync}), and the mail and
 * legacy-database intakes the items they parsed themselves ({@link #acceptor()}).
 */
public final class Intake {

    /** Header naming the source in results and logs, e.g. {@code file:orders.json}. */
    public static final String SOURCE = "GatewaySource";
    /** Header with the {@link AcceptResult} the entry answers with, for the steps after it (routes/accept-request.camel.yaml). */
    public static final String RESULT = "GatewayAcceptResult";
    /** Header with the name derived ids are built from (file base name, Message-ID, primary key). */
    public static final String SOURCE_NAME = "GatewaySourceName";

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final RequestValidator validator;
    private final MessageStore store;
    private final ResultFiles results;
    private final ObjectMapper mapper;
    private final RequestDocument.Limits limits;
    private final Function<Object, InputStream> streams;

    /** An intake that reads documents given as bytes, text or a stream. */
    public Intake(RequestValidator validator, MessageStore store, ResultFiles results, ObjectMapper mapper, RequestDocument.Limits limits) {
        this(validator, store, results, mapper, limits, document -> null);
    }

    /**
     * @param streams opens any other document as a stream, or gives null: in the gateway, Camel's type converters (a
     *                Vert.x buffer from platform-http, a file from a user's file route)
     */
    public Intake(RequestValidator validator, MessageStore store, ResultFiles results, ObjectMapper mapper, RequestDocument.Limits limits,
                  Function<Object, InputStream> streams) {
        this.validator = validator;
        this.store = store;
        this.results = results;
        this.mapper = mapper;
        this.limits = limits;
        this.streams = streams;
    }

    /**
     * {@code direct:accept-request} (routes/accept-request.camel.yaml; SPEC 4.4, 4.5): the HTTP intake and users' own
     * routes. Returns once the valid items are committed, with what became of each; writes the duplicates' result files.
     *
     * @param document   the body as the caller's route has it: JSON bytes or text, a stream, or anything else the
     *                   gateway's runtime opens as one (an HTTP body, a file); at most gateway.inbox.max-file-bytes + 1
     *                   bytes are read, so a huge source is refused without loading it
     * @param source     header {@code GatewaySource}: what results and logs show; none: {@code route:<fromRoute>}
     * @param sourceName header {@code GatewaySourceName}: what derived ids are built from (SPEC 3); none: the source
     * @param fromRoute  the id of the route the request came in by
     */
    public AcceptResult accept(Object document, String source, String sourceName, String fromRoute) {
        String from = source == null || source.isBlank() ? "route:" + fromRoute : source;
        return accept(bytes(document), from, sourceName == null || sourceName.isBlank() ? from : sourceName);
    }

    /** As the entry, for a document already in bytes (tests, benchmarks). */
    public AcceptResult accept(byte[] bytes, String source, String sourceName) {
        return accepted(acceptAsync(RequestDocument.parse(bytes, limits), source, sourceName, null));
    }

    /**
     * Parses and validates on the caller's thread, then stores through the store writer; the future completes after
     * the commit, with the result, or with null when {@code claim} was held by another instance (nothing stored). The
     * caller writes the duplicates' result files ({@link #writeDuplicates}) once it knows the source is its own.
     */
    public CompletableFuture<AcceptResult> acceptAsync(byte[] bytes, String source, String sourceName, InboxClaims.Claim claim) {
        return acceptAsync(RequestDocument.parse(bytes, limits), source, sourceName, claim);
    }

    /** Validates on the caller's thread and hands the valid items to the store writer (the entries above). */
    private CompletableFuture<AcceptResult> acceptAsync(RequestDocument.Parsed parsed, String source, String sourceName,
                                                        InboxClaims.Claim claim) {
        if (!parsed.problems().isEmpty()) {
            LOG.warn("source={} refused: {}", LogText.safe(source), LogText.safe(Problem.inWords(parsed.problems())));
            return CompletableFuture.completedFuture(new AcceptResult(source, List.of(), parsed.problems(), List.of()));
        }
        List<AcceptResult.ItemResult> items = new ArrayList<>(parsed.items().size());
        List<NewMessage> valid = new ArrayList<>();
        List<Integer> validIndexes = new ArrayList<>();
        List<JsonNode> invalid = new ArrayList<>();
        for (RequestDocument.Item item : parsed.items()) {
            Validation v = validator.validate(item.json());
            String givenId = v.valid() ? v.request().id() : givenId(item);
            String id = givenId != null ? givenId : RequestIds.derive(sourceName, item.index(), item.text());
            if (v.valid()) {
                // SPEC 5: a sendAt still ahead is SCHEDULED until then; one already past means now
                Instant sendAt = v.request().sendAt();
                Long notBefore = sendAt != null && sendAt.toEpochMilli() > store.now() ? sendAt.toEpochMilli() : null;
                NewMessage message = new NewMessage(id, source, v.request().from(), v.request().to(), json(v.request()), notBefore);
                valid.add(message);
                validIndexes.add(items.size());
                items.add(new AcceptResult.ItemResult(item.index(), id, message.status(), List.of()));
            } else {
                LOG.warn("id={} source={} item={} REJECTED: {}", id, LogText.safe(source), item.index(), LogText.safe(Problem.inWords(v.problems())));
                items.add(new AcceptResult.ItemResult(item.index(), id, Status.REJECTED, v.problems()));
                invalid.add(item.json());
            }
        }
        if (valid.isEmpty() && claim == null) {
            return CompletableFuture.completedFuture(new AcceptResult(source, items, List.of(), invalid));
        }
        return store.insertAsync(valid, claim).thenApply(inserted -> {
            if (inserted.taken()) {
                return null;
            }
            List<Boolean> stored = inserted.stored();
            for (int i = 0; i < stored.size(); i++) {
                if (!stored.get(i)) {
                    int at = validIndexes.get(i);
                    AcceptResult.ItemResult r = items.get(at);
                    items.set(at, new AcceptResult.ItemResult(r.index(), r.id(), Status.DUPLICATE, List.of()));
                }
            }
            return new AcceptResult(source, items, List.of(), invalid);
        });
    }

    /**
     * The entry as the mail and legacy-database intakes call it: their items are parsed already, so they go to
     * validation as they are, never written out and parsed again (SPEC 4).
     */
    public Acceptor acceptor() {
        return new Acceptor() {
            @Override
            public AcceptResult accept(List<RequestDocument.Item> items, String source, String sourceName) {
                return accepted(Intake.this.acceptAsync(RequestDocument.of(items, limits), source, sourceName, null));
            }

            @Override
            public CompletableFuture<AcceptResult> acceptAsync(List<RequestDocument.Item> items, String source, String sourceName) {
                try {
                    return Intake.this.acceptAsync(RequestDocument.of(items, limits), source, sourceName, null)
                            .thenApply(result -> {
                                writeDuplicates(result);
                                return result;
                            });
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
    }

    /** Waits for the commit; a failure is thrown as it was raised (the caller's source stays unacknowledged). */
    private AcceptResult accepted(CompletableFuture<AcceptResult> future) {
        AcceptResult result;
        try {
            result = future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        writeDuplicates(result);
        return result;
    }

    /** A duplicate never touches the original's file: it gets {@code <id>.duplicate.json} (SPEC 7). */
    public void writeDuplicates(AcceptResult result) {
        Instant now = null;
        for (AcceptResult.ItemResult r : result.items()) {
            if (r.status() == Status.DUPLICATE) {
                now = now == null ? Instant.ofEpochMilli(store.now()) : now;
                results.writeDuplicate(r.id(), result.source(), now);
            }
        }
    }

    /** The caller's own id of an invalid item, when it is usable as a file name; else null (a derived one is used). */
    private static String givenId(RequestDocument.Item item) {
        JsonNode id = item.json() == null ? null : item.json().get("id");
        if (id != null && id.isTextual() && id.asText().matches("[A-Za-z0-9._-]{1,128}")) {
            return id.asText();
        }
        return null;
    }

    /** The document's bytes; a stream is read one byte past the limit at most, so a huge source is refused unread. */
    private byte[] bytes(Object document) {
        if (document == null) {
            return new byte[0];
        }
        if (document instanceof byte[] b) {
            return b;
        }
        if (document instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        InputStream opened = document instanceof InputStream in ? in : streams.apply(document);
        if (opened == null) {
            throw new IllegalArgumentException("the request document (a " + document.getClass().getName()
                    + ") is not readable as bytes");
        }
        try (InputStream in = opened) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limits.maxBytes() + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request document", e);
        }
    }

    private String json(Object request) {
        try {
            return mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise a validated request", e);
        }
    }
}
