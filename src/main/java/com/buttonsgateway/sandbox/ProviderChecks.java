package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The provider-input checks Send Buttons and Send Template share (SPEC 8, provider/README.md): the JSON itself
 * (reason 2, every call recorded in {@link ReceivedCalls}), the API key (3), {@code to} (4), {@code body} (5),
 * {@code from} and the field-by-field rules that add to a reason-2 problem list. Checks that end a call throw
 * {@link Refused}; the others add {@code "field: words"} to {@code problems}. The API key is never put in a message.
 */
final class ProviderChecks {

    /** The files a media link may point at, by media kind (send-buttons.txt, provider/README.md). */
    private static final Map<String, Set<String>> EXTENSIONS = Map.of(
            "image", Set.of("jpg", "jpeg", "png"), "video", Set.of("mp4"), "document", Set.of("pdf"));

    private final ObjectMapper mapper;
    private final byte[] expectedApiKey;
    private final ReceivedCalls calls;

    /**
     * @param mapper         {@link #providerJson()}
     * @param expectedApiKey the key every call must carry (reason 3 otherwise); {@code null} or empty accepts any or none
     * @param calls          where every call is counted and its request kept
     */
    ProviderChecks(ObjectMapper mapper, String expectedApiKey, ReceivedCalls calls) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.expectedApiKey = expectedApiKey == null || expectedApiKey.isEmpty()
                ? null
                : expectedApiKey.getBytes(StandardCharsets.UTF_8);
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    /** JSON read as strictly as a provider would: a repeated key or trailing tokens are syntax errors. */
    static ObjectMapper providerJson() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Parses and records a provider request; reason 2 when it is not a JSON object. */
    ObjectNode request(String requestJson) {
        JsonNode parsed = null;
        String syntax = null;
        try {
            parsed = requestJson == null || requestJson.isBlank() ? null : mapper.readTree(requestJson);
            if (parsed == null) {
                syntax = "JSON syntax error: empty body";
            }
        } catch (JsonProcessingException e) {
            syntax = "JSON syntax error (" + where(e) + ")";
        }
        calls.record(parsed);
        if (syntax != null) {
            throw new Refused(2, syntax);
        }
        if (!parsed.isObject()) {
            throw new Refused(2, "JSON syntax error: the body must be a JSON object");
        }
        return (ObjectNode) parsed;
    }

    /** Reason 3 unless the request carries the expected key (compared in constant time). */
    void apiKey(ObjectNode request) {
        if (expectedApiKey == null) {
            return;
        }
        JsonNode key = request.get("apiKey");
        byte[] given = key != null && key.isValueNode() && !key.isNull()
                ? key.asText().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(expectedApiKey, given)) {
            throw new Refused(3, Refused.words(3) + (given.length == 0 ? " (apiKey missing)" : ""));
        }
    }

    /** Reason 4: {@code to} empty or not a private contact's number / user id. Answers it as sent. */
    static String to(ObjectNode request) {
        JsonNode v = request.get("to");
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            throw new Refused(4, "to: empty");
        }
        if (!(v.isTextual() || v.isIntegralNumber())) {
            throw new Refused(4, "to: wrong number format: must be a string of digits");
        }
        String to = v.asText();
        if (ProviderFormats.isGroup(to)) {
            throw new Refused(4, "to: groups are not supported, only private contacts");
        }
        if (!ProviderFormats.isInternationalNumber(to) && !ProviderFormats.isUserId(to)) {
            throw new Refused(4, "to: wrong number format: an international number without + (digits only, 8 to 15)"
                    + " or a user id like IL.1605856887361213");
        }
        return to;
    }

    /** Reason 5: {@code body} missing or blank. {@code null} for a body that is not a string (a reason-2 problem). */
    static String body(ObjectNode request) {
        JsonNode v = request.get("body");
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            throw new Refused(5, Refused.words(5));
        }
        return v.isTextual() ? v.textValue() : null;
    }

    /** Reason 2 "the from account does not exist": missing or not an international number. */
    static String from(ObjectNode request, List<String> problems) {
        JsonNode v = request.get("from");
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            problems.add("from: required (your WhatsApp account, an international number without +)");
            return null;
        }
        String from = v.isTextual() || v.isIntegralNumber() ? v.asText() : "";
        if (!ProviderFormats.isInternationalNumber(from)) {
            problems.add("from: the account does not exist (an international number without +, digits only, 8 to 15)");
            return null;
        }
        return from;
    }

    /**
     * A media link ({@code headerURL}, {@code headerLink}): required for a media {@code type} ({@code kind} not null),
     * an {@code https} URL whose extension fits the kind; refused for a type without media.
     */
    static void mediaLink(ObjectNode request, String field, String typeField, int type, String kind,
            List<String> problems) {
        String link = optionalText(request, field, problems);
        boolean given = link != null && !link.isBlank();
        if (kind == null) {
            if (given) {
                problems.add(field + ": only for a media " + typeField + ", not for " + typeField + " " + type);
            }
        } else if (!given) {
            if (absent(request.get(field)) || link != null) {
                problems.add(field + ": required for " + typeField + " " + type + " (" + kind + "), an https URL");
            }
        } else {
            ProviderFormats.mediaLinkProblem(field, link, kind, EXTENSIONS.get(kind)).ifPresent(problems::add);
        }
    }

    /** Every field not in {@code known}, with the closest known one when it looks like a typo. */
    static void unknownFields(JsonNode request, Set<String> known, String api, List<String> problems) {
        for (Iterator<String> it = request.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add(ProviderFormats.closest(name, known)
                        .map(c -> "unknown field '" + name + "' (did you mean '" + c + "'?)")
                        .orElse("unknown field '" + name + "' (not a " + api + " field)"));
            }
        }
    }

    /** A string field, {@code null} when absent or JSON null; a problem when it is not a string. */
    static String optionalText(ObjectNode request, String field, List<String> problems) {
        JsonNode v = request.get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + ": must be a string");
            return null;
        }
        return v.textValue();
    }

    /** {@code showRequest}, {@code localStorage}: 0 or 1, as a JSON number or a string. */
    static boolean zeroOrOne(ObjectNode request, String field, List<String> problems) {
        JsonNode v = request.get(field);
        if (absent(v)) {
            return false;
        }
        Integer i = smallInt(v);
        if (i == null || (i != 0 && i != 1)) {
            problems.add(field + ": must be 0 or 1");
            return false;
        }
        return i == 1;
    }

    /** A JSON integer or a string of up to 9 digits; {@code null} for anything else. */
    static Integer smallInt(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isTextual() && v.textValue().matches("[0-9]{1,9}")) {
            return Integer.valueOf(v.textValue());
        }
        return null;
    }

    static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    /** A copy with every {@code apiKey} field removed, at any depth. */
    static JsonNode withoutApiKey(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove("apiKey");
        }
        node.forEach(ProviderChecks::strip);
    }

    /** The position of a syntax error, never its text: Jackson quotes tokens, which may be the key. */
    static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? "unreadable" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
