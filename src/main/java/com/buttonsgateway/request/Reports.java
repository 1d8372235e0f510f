package com.buttonsgateway.request;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON shapes of SPEC 3 for a rejected item, shared by {@code .error.json} files, HTTP answers
 * and result files so they never drift apart.
 */
public final class Reports {

    public static final String REJECTED = "REJECTED";

    private final JsonNodeFactory nodes;

    public Reports(JsonNodeFactory nodes) {
        this.nodes = nodes;
    }

    /**
     * {@code {"index": n, "id": ..., "status": "REJECTED", "problems": [...]}}. An item without an id
     * (none given, none derived yet) gets {@code "id": null}: the key is always there, so every report
     * has the same four fields.
     */
    public ObjectNode problemReport(int index, String id, List<Problem> problems) {
        ObjectNode report = nodes.objectNode();
        report.put("index", index);
        report.put("id", id);
        report.put("status", REJECTED);
        report.set("problems", problems(problems));
        return report;
    }

    /** {@code [{"field": ..., "rule": ..., "message": ...}, ...]}. */
    public ArrayNode problems(List<Problem> problems) {
        ArrayNode array = nodes.arrayNode();
        for (Problem problem : problems) {
            array.add(problem(problem));
        }
        return array;
    }

    public ObjectNode problem(Problem problem) {
        ObjectNode json = nodes.objectNode();
        json.put("field", problem.field());
        json.put("rule", problem.rule());
        json.put("message", problem.message());
        return json;
    }
}
