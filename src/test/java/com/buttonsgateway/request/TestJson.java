package com.buttonsgateway.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Small helpers shared by the tests: JSON from text (single quotes allowed) and a minimal valid request. */
public final class TestJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private TestJson() {
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A valid request: to, body and button1; tests add or change fields. */
    public static ObjectNode minimal() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("to", "972501234567");
        node.put("body", "Hello");
        node.put("button1", "Yes");
        return node;
    }

    public static ObjectNode minimalWith(String field, Object value) {
        ObjectNode node = minimal();
        node.set(field, MAPPER.valueToTree(value));
        return node;
    }

    public static List<String> fields(List<Problem> problems) {
        return problems.stream().map(Problem::field).toList();
    }

    public static List<String> rules(List<Problem> problems) {
        return problems.stream().map(Problem::rule).toList();
    }
}
