package com.buttonsgateway.provider;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The provider's answer as the gateway keeps it (SPEC 7): every field it answered, the echoed request of
 * {@code showRequest} included, but never an API key. The provider says the echo comes without {@code apiKey}; an
 * answer that names one anyway loses it before it is stored or shown.
 */
public final class ProviderAnswer {

    private static final Pattern API_KEY = Pattern.compile("(?i)api_?key");

    private ProviderAnswer() {
    }

    /** The answer to store: as it came, or without any apiKey field (at any depth); a text answer naming one is not kept. */
    public static String kept(ObjectMapper mapper, String body) {
        if (body == null || !API_KEY.matcher(body).find()) {
            return body; // the usual answer: kept as it came, not parsed again
        }
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.isContainerNode()) {
                return mapper.writeValueAsString(withoutApiKey(json));
            }
        } catch (IOException e) {
            // not JSON: said in words below
        }
        return "(the provider's answer is not kept: it is not JSON and names an API key)";
    }

    /** The same tree with every field whose name is an API key's removed, at any depth (changed in place). */
    public static JsonNode withoutApiKey(JsonNode json) {
        if (json instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (API_KEY.matcher(field.getKey()).matches()) {
                    fields.remove();
                } else {
                    withoutApiKey(field.getValue());
                }
            }
        } else if (json != null && json.isArray()) {
            json.forEach(ProviderAnswer::withoutApiKey);
        }
        return json;
    }
}
