package com.buttonsgateway.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits what an intake hands in (a file, a mail part, an HTTP body) into items (SPEC 3, 4): one
 * request object or an array of them. A document-level problem refuses the whole document, with
 * the limit and its configuration key named (SPEC 2, 4.1); items are judged one by one later.
 */
public final class RequestDocument {

    /** {@code gateway.inbox.max-file-bytes} and {@code gateway.inbox.max-items}. */
    public record Limits(long maxBytes, int maxItems) {
    }

    /** One item: its position from 0 (SPEC 3), its JSON, and its compact JSON text (hashed for ids). */
    public record Item(int index, JsonNode json, String text) {

        /**
         * An item from JSON an intake built itself (a legacy row), with the text {@link RequestDocument#parse(byte[], Limits)}
         * gives an item: what derived ids hash (SPEC 3).
         */
        public static Item of(int index, JsonNode json) {
            try {
                return item(index, json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("a JSON tree that cannot be written as JSON text", e);
            }
        }

        /** The same item at another place in its source (a mail's attachments count on from each other, SPEC 3). */
        public Item at(int position) {
            return position == index ? this : new Item(position, json, text);
        }
    }

    /** The items, or the problems that refuse the whole document (then there are no items). */
    public record Parsed(List<Item> items, List<Problem> problems) {

        public Parsed {
            items = List.copyOf(items);
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    static final String FIELD = "document";
    /** Far more than a request needs (array, item, template = 3); stops a stack-deep document. */
    static final int MAX_DEPTH = 32;

    // Immutable and thread-safe once built: readers and writers are Jackson's shareable objects.
    private static final ObjectReader READER = reader();
    private static final ObjectWriter WRITER = new ObjectMapper().writer();

    private RequestDocument() {
    }

    /**
     * Items already parsed, from one source's several documents (a mail's attachments) or from a row, taken as one
     * document: refused whole when there are more than {@code gateway.inbox.max-items}, as an array would be.
     */
    public static Parsed of(List<Item> items, Limits limits) {
        if (items.size() > limits.maxItems()) {
            return tooManyItems(limits);
        }
        if (items.isEmpty()) {
            return refused("empty", "the document holds no request");
        }
        return new Parsed(items, List.of());
    }

    public static Parsed parse(String text, Limits limits) {
        return parse(text.getBytes(StandardCharsets.UTF_8), limits);
    }

    public static Parsed parse(byte[] bytes, Limits limits) {
        if (bytes.length > limits.maxBytes()) {
            // intakes read at most one byte past the limit, so the real size is not known here
            return refused("too-large", "the document is larger than " + limits.maxBytes()
                    + " bytes, the most allowed (gateway.inbox.max-file-bytes)");
        }
        String text;
        try {
            text = utf8(bytes);
        } catch (NotUtf8 e) {
            return refused("encoding", "the document is not valid UTF-8 (bad byte at offset " + e.offset + ")");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark, as Windows tools write it; not JSON content
        }
        if (text.isBlank()) {
            return refused("empty", "the document is empty");
        }
        try (JsonParser parser = READER.createParser(text)) {
            return read(parser, limits);
        } catch (StreamConstraintsException e) {
            if (String.valueOf(e.getOriginalMessage()).contains("nesting depth")) {
                return refused("too-deep", "the document is nested deeper than " + MAX_DEPTH + " levels"
                        + at(e.getLocation()));
            }
            return refused("too-large", "the document exceeds a JSON parser limit" + at(e.getLocation())
                    + ": " + reason(e));
        } catch (JsonProcessingException e) {
            return refused("not-json", "the document is not valid JSON" + at(e.getLocation()) + ": " + reason(e));
        } catch (IOException e) {
            return refused("not-json", "the document could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static Parsed read(JsonParser parser, Limits limits) throws IOException {
        JsonToken first = parser.nextToken();
        List<Item> items = new ArrayList<>();
        if (first == JsonToken.START_OBJECT) {
            items.add(item(0, parser.readValueAsTree()));
        } else if (first == JsonToken.START_ARRAY) {
            // Streamed element by element, so an over-long array is refused before it is all in memory.
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (items.size() == limits.maxItems()) {
                    return tooManyItems(limits);
                }
                items.add(item(items.size(), parser.readValueAsTree()));
            }
            if (items.isEmpty()) {
                return refused("empty", "the document is an empty array; it must hold at least one request");
            }
        } else {
            return refused("type", "the document must be a JSON object or an array of objects, not "
                    + FieldReader.describe(parser.readValueAsTree()));
        }
        if (parser.nextToken() != null) {
            return refused("not-json", "the document has more content after its JSON value"
                    + at(parser.currentTokenLocation()));
        }
        return new Parsed(items, List.of());
    }

    private static Item item(int index, JsonNode json) throws JsonProcessingException {
        return new Item(index, json, WRITER.writeValueAsString(json));
    }

    private static Parsed tooManyItems(Limits limits) {
        return refused("too-many-items", "the document holds more than " + limits.maxItems()
                + " items; at most " + limits.maxItems() + " are allowed (gateway.inbox.max-items)");
    }

    private static Parsed refused(String rule, String message) {
        return new Parsed(List.of(), List.of(new Problem(FIELD, rule, message)));
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Jackson's own words, without the text of a bad token: that text is the document's content and
     * could be a secret (an unquoted API key, say), which must not reach a log or a report (SPEC 1).
     */
    private static String reason(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        return message.replaceAll("token '[^']*'", "token").replaceAll("\\s+", " ").strip();
    }

    private static String utf8(byte[] bytes) throws NotUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8(in.position());
        }
    }

    private static final class NotUtf8 extends Exception {
        private final int offset;

        NotUtf8(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    private static ObjectReader reader() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                // Two values for one field: which one the sender meant is unknowable, so refuse it.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(factory).reader();
    }
}
