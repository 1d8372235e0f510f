package com.buttonsgateway.ops;

import java.nio.file.Path;

import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The result document's {@code warnings} (SPEC 7, issue 16), without Camel. */
class ResultFilesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private StoredMessage sent(String route, String request, String answer) {
        return new StoredMessage(1, "m-1", "file:m.json", "972771234567", "972501234567", request, Status.SENT, route, 1,
                0L, 1L, null, "U1", answer, "[]", null, false, null);
    }

    @Test
    void aReplyToIsReportedUnusedOnlyWhenTheTemplateWent() {
        String request = "{\"to\":\"972501234567\",\"body\":\"b\",\"replyTo\":\"ABC\",\"warnings\":[\"button2 is ignored\"]}";
        ResultFiles files = new ResultFiles(mapper, dir, dir);
        JsonNode template = files.result(sent("template", request, "{}")).path("warnings");
        assertThat(template).hasSize(2);
        assertThat(template.get(0).asText()).isEqualTo("button2 is ignored");
        assertThat(template.get(1).asText()).startsWith("replyTo is not sent with a template").endsWith("does not quote ABC");
        assertThat(files.result(sent("buttons", request, "{}")).path("warnings")).hasSize(1);
        assertThat(files.result(sent("template", "{\"to\":\"972501234567\"}", "{}")).has("warnings")).isFalse();
    }
}
