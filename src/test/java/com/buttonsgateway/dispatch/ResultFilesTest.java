package com.buttonsgateway.dispatch;

import java.nio.file.Path;

import com.buttonsgateway.provider.ProviderAnswer;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The result document's {@code provider} and {@code warnings} (SPEC 7, issue 16), without Camel. */
class ResultFilesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private StoredMessage sent(String route, String request, String answer) {
        return new StoredMessage(1, "m-1", "file:m.json", "972771234567", "972501234567", request, Status.SENT, route, 1,
                0L, 1L, null, "U1", answer, "[]", null, false, null);
    }

    @Test
    void everyFieldTheProviderAnsweredIsKeptButNeverAnApiKey() {
        String answer = "{\"status\":\"OK\",\"unique\":\"U1\",\"timestamp\":1600115719,\"from\":\"972771234567\","
                + "\"templateTimeLeft\":\"400\",\"reason\":1,\"body\":\"b\",\"buttonExternal\":\"https://x.example\","
                + "\"conversationTimeLeft\":\"1200\",\"request\":{\"apiKey\":\"sk-1\",\"body\":\"b\",\"nested\":[{\"APIKEY\":\"sk-2\"}]}}";
        JsonNode provider = new ResultFiles(mapper, dir, dir).result(sent("buttons", "{}", ProviderAnswer.kept(mapper, answer))).path("provider");
        assertThat(provider.path("timestamp").asLong()).isEqualTo(1600115719L);
        assertThat(provider.path("buttonExternal").asText()).isEqualTo("https://x.example");
        assertThat(provider.path("conversationTimeLeft").asText()).isEqualTo("1200");
        assertThat(provider.path("request").path("body").asText()).isEqualTo("b");
        assertThat(provider.toString()).doesNotContain("sk-1").doesNotContain("sk-2").doesNotContainIgnoringCase("apikey");
        // an answer stored before it was cleaned (or by another version) loses the key when shown
        assertThat(new ResultFiles(mapper, dir, dir).result(sent("buttons", "{}", answer)).toString()).doesNotContain("sk-1");
    }

    @Test
    void anAnswerThatIsNotJsonButNamesAKeyIsNotKept() {
        assertThat(ProviderAnswer.kept(mapper, "bad apiKey=sk-3")).doesNotContain("sk-3");
        assertThat(ProviderAnswer.kept(mapper, "{\"status\":\"OK\"}")).isEqualTo("{\"status\":\"OK\"}");
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
