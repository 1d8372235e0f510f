package com.buttonsgateway.intake;

import java.util.List;

import com.buttonsgateway.request.Problem;
import com.buttonsgateway.store.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code direct:accept-request} did with one document (SPEC 4): per item its id and status, or its problems;
 * document-level problems when the document itself was refused; the invalid items as given, for the inbox's
 * {@code .invalid.json}.
 */
public record AcceptResult(String source, List<ItemResult> items, List<Problem> documentProblems, List<JsonNode> invalidItems) {

    /** One item: QUEUED, SCHEDULED (sendAt ahead) or DUPLICATE with its id, or REJECTED with its problems. */
    public record ItemResult(int index, String id, Status status, List<Problem> problems) {
        public boolean accepted() {
            return status != Status.REJECTED;
        }
    }

    public long acceptedCount() {
        return items.stream().filter(ItemResult::accepted).count();
    }

    public long rejectedCount() {
        return items.size() - acceptedCount();
    }

    /** Nothing was stored and nothing was a duplicate: the source goes to {@code .error/}. */
    public boolean nothingAccepted() {
        return acceptedCount() == 0;
    }

    public boolean hasProblems() {
        return !documentProblems.isEmpty() || rejectedCount() > 0;
    }

    /** "done" or "error": the inbox sub-folder the source file moves to (SPEC 4.1). */
    public String inboxFolder() {
        return nothingAccepted() ? ".error" : ".done";
    }

    /** The HTTP status of SPEC 4.4: 202 all accepted, 400 none, 207 some. */
    public int httpStatus() {
        if (nothingAccepted()) {
            return 400;
        }
        return rejectedCount() == 0 ? 202 : 207;
    }

    /** The per-item list that intakes answer with (SPEC 4.4, 4.5). */
    public ArrayNode answer() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode list = f.arrayNode();
        if (!documentProblems.isEmpty()) {
            ObjectNode doc = list.addObject();
            doc.putNull("index");
            doc.put("status", Status.REJECTED.name());
            doc.set("problems", problems(documentProblems));
        }
        for (ItemResult item : items) {
            ObjectNode node = list.addObject();
            node.put("index", item.index());
            node.put("id", item.id());
            node.put("status", item.status().name());
            if (!item.problems().isEmpty()) {
                node.set("problems", problems(item.problems()));
            }
        }
        return list;
    }

    /** The {@code <base>.error.json} report: the document's problems and each rejected item's (SPEC 4.1). */
    public ObjectNode errorReport() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode report = f.objectNode();
        report.put("source", source);
        report.put("accepted", acceptedCount());
        report.put("rejected", rejectedCount());
        report.set("problems", problems(documentProblems));
        ArrayNode rejected = report.putArray("items");
        for (ItemResult item : items) {
            if (!item.accepted()) {
                ObjectNode node = rejected.addObject();
                node.put("index", item.index());
                node.put("id", item.id());
                node.put("status", item.status().name());
                node.set("problems", problems(item.problems()));
            }
        }
        return report;
    }

    /** The invalid items as given, ready to fix and drop back (only when some items were accepted). */
    public ArrayNode invalidItemsDocument() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        invalidItems.forEach(array::add);
        return array;
    }

    public boolean partlyInvalid() {
        return acceptedCount() > 0 && rejectedCount() > 0;
    }

    public String answerJson() {
        return pretty(answer());
    }

    public String errorReportJson() {
        return pretty(errorReport());
    }

    public String invalidItemsJson() {
        return pretty(invalidItemsDocument());
    }

    private static String pretty(JsonNode node) {
        return node.toPrettyString();
    }

    private static ArrayNode problems(List<Problem> problems) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Problem p : problems) {
            ObjectNode node = array.addObject();
            node.put("field", p.field());
            node.put("rule", p.rule());
            node.put("message", p.message());
        }
        return array;
    }
}
