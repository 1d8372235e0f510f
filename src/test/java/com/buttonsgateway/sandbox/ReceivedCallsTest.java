package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedCallsTest extends SandboxFixture {

    private final ReceivedCalls calls = new ReceivedCalls();

    @Test
    void countsEveryCallAndKeepsThoseThatParsedWithoutTheKey() {
        calls.record(parse(withKey(buttons(), KEY)));
        calls.record(null);
        calls.record(template());

        assertThat(calls.count()).isEqualTo(3);
        assertThat(calls.received()).containsExactly(buttons(), template());
        assertThat(calls.received().toString()).doesNotContain(KEY);
    }

    @Test
    void keepsOnlyTheNewestAndCountsThemAll() {
        for (int i = 0; i < ReceivedCalls.KEPT + 3; i++) {
            calls.record(buttons().put("body", "call " + i));
        }

        List<JsonNode> received = calls.received();
        assertThat(calls.count()).isEqualTo(ReceivedCalls.KEPT + 3);
        assertThat(received).hasSize(ReceivedCalls.KEPT);
        assertThat(received.get(0).path("body").asText()).isEqualTo("call 3");
    }

    @Test
    void neitherTheRecordedRequestNorAnAnswerCanBeChangedFromOutside() {
        ObjectNode request = buttons();
        calls.record(request);
        request.put("body", "changed by the sender");
        List<JsonNode> received = calls.received();
        ((ObjectNode) received.get(0)).put("body", "changed by a reader");

        assertThat(received).isUnmodifiable();
        assertThat(calls.received()).containsExactly(buttons());
    }
}
