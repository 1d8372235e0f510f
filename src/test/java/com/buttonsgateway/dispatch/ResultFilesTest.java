package com.buttonsgateway.dispatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import com.buttonsgateway.provider.ProviderAnswer;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The result, dead-letter and duplicate files and their documents (SPEC 7, 8), without Camel. */
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

    // --- the files ---------------------------------------------------------------------------------------------

    private static final String KEY_ECHO = "{\"status\":\"FAIL\",\"reason\":5,\"request\":{\"apiKey\":\"sk-live-9\",\"to\":\"972501234567\"}}";

    private StoredMessage dead(String id, String answer) {
        return new StoredMessage(2, id, "file:d.json", "972771234567", "972501234567", "{\"to\":\"972501234567\",\"body\":\"b\"}",
                Status.DEAD, "buttons", 3, 1_000L, 61_000L, "reason 5: body is empty", null, answer,
                "[{\"at\":\"1970-01-01T00:00:01Z\",\"kind\":\"provider\",\"detail\":\"reason 5\"}]", null, false, null);
    }

    private JsonNode read(Path file) throws Exception {
        return mapper.readTree(file.toFile());
    }

    private Stream<Path> leftovers() throws Exception {
        return Files.list(dir).filter(f -> f.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void aFinishedMessageHasItsResultFileWithEveryFieldOfSpec7() throws Exception {
        Path results = dir.resolve("results");
        ResultFiles files = new ResultFiles(mapper, results, dir.resolve("dead"));
        files.writeResult(sent("template", "{}", "{\"status\":\"OK\",\"unique\":\"U1\",\"templateTimeLeft\":\"10\"}"));

        assertThat(files.resultFile("m-1")).isEqualTo(results.resolve("m-1.json"));
        JsonNode doc = read(results.resolve("m-1.json"));
        assertThat(doc.fieldNames()).toIterable().contains("id", "source", "route", "status", "reason", "provider", "attempts",
                "acceptedAt", "finishedAt", "errors");
        assertThat(doc.path("id").asText()).isEqualTo("m-1");
        assertThat(doc.path("source").asText()).isEqualTo("file:m.json");
        assertThat(doc.path("route").asText()).isEqualTo("template");
        assertThat(doc.path("status").asText()).isEqualTo("SENT");
        assertThat(doc.path("provider").path("unique").asText()).isEqualTo("U1");
        assertThat(doc.path("provider").path("templateTimeLeft").asText()).isEqualTo("10");
        assertThat(doc.path("attempts").asInt()).isEqualTo(1);
        assertThat(doc.path("acceptedAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(doc.path("finishedAt").asText()).isEqualTo("1970-01-01T00:00:00.001Z");
        assertThat(doc.path("errors").isArray()).isTrue();
        assertThat(doc.has("sandbox")).as("only the simulator's answers are marked").isFalse();
        assertThat(Files.list(results)).as("written beside and moved into place: no temp file left").hasSize(1);
    }

    @Test
    void aDeadMessageHasADeadLetterWithItsRequestReadyToReplayAndItsResult() throws Exception {
        ResultFiles files = new ResultFiles(mapper, dir.resolve("results"), dir.resolve("dead"));
        files.writeDeadLetter(dead("d-1", "{\"status\":\"FAIL\",\"reason\":5}"));

        JsonNode letter = read(files.deadLetterFile("d-1"));
        assertThat(files.deadLetterFile("d-1")).isEqualTo(dir.resolve("dead").resolve("d-1.json"));
        assertThat(letter.path("status").asText()).isEqualTo("DEAD");
        assertThat(letter.path("reason").asText()).isEqualTo("reason 5: body is empty");
        assertThat(letter.path("attempts").asInt()).isEqualTo(3);
        assertThat(letter.path("errors").get(0).path("detail").asText()).isEqualTo("reason 5");
        assertThat(letter.path("request").path("body").asText()).isEqualTo("b");
        JsonNode result = read(files.resultFile("d-1"));
        assertThat(result.path("status").asText()).isEqualTo("DEAD");
        assertThat(result.has("request")).as("the request is the dead letter's, for its replay").isFalse();
    }

    @Test
    void aDuplicateIsReportedBesideTheOriginalWhichStaysUntouched() throws Exception {
        ResultFiles files = new ResultFiles(mapper, dir, dir);
        files.writeResult(sent("buttons", "{}", "{}"));
        byte[] original = Files.readAllBytes(files.resultFile("m-1"));
        files.writeDuplicate("m-1", "http", Instant.parse("2026-03-01T10:00:00Z"));

        JsonNode duplicate = read(dir.resolve("m-1.duplicate.json"));
        assertThat(duplicate.path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(duplicate.path("source").asText()).isEqualTo("http");
        assertThat(duplicate.path("finishedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(Files.readAllBytes(files.resultFile("m-1"))).isEqualTo(original);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void deleteRemovesAFileAndAMissingOneIsNoError() throws Exception {
        ResultFiles files = new ResultFiles(mapper, dir, dir);
        files.writeResult(sent("buttons", "{}", "{}"));
        files.delete(files.resultFile("m-1"));
        assertThat(files.resultFile("m-1")).doesNotExist();
        files.delete(files.resultFile("m-1"));
        files.delete(files.duplicateFile("never-written"));
    }

    @Test
    void whatTheSandboxAnsweredIsMarkedSoNobodyTakesItForASend() throws Exception {
        ResultFiles files = new ResultFiles(mapper, dir, dir);
        files.writeResult(sent("buttons", "{}", "{\"status\":\"OK\",\"unique\":\"S1\",\"sandbox\":true}"));
        assertThat(read(files.resultFile("m-1")).path("sandbox").asBoolean()).isTrue();
        assertThat(files.result(sent("buttons", "{}", "{\"status\":\"OK\",\"sandbox\":false}")).has("sandbox")).isFalse();
    }

    @Test
    void noFileEverHoldsTheApiKeyEvenWhenTheProviderEchoedIt() throws Exception {
        ResultFiles files = new ResultFiles(mapper, dir.resolve("results"), dir.resolve("dead"));
        files.writeDeadLetter(dead("d-2", KEY_ECHO));
        files.writeResult(sent("buttons", "{}", KEY_ECHO));
        for (Path file : new Path[] {files.deadLetterFile("d-2"), files.resultFile("d-2"), files.resultFile("m-1")}) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("sk-live-9").doesNotContainIgnoringCase("apikey");
        }
        assertThat(read(files.deadLetterFile("d-2")).path("provider").path("request").path("to").asText()).isEqualTo("972501234567");
    }

    @Test
    void aResultsFolderRemovedWhileRunningIsMadeAgain() throws Exception {
        Path results = dir.resolve("gone");
        ResultFiles files = new ResultFiles(mapper, results, results);
        assertThat(results).doesNotExist();
        files.writeResult(sent("buttons", "{}", "{}"));
        assertThat(files.resultFile("m-1")).exists();
    }
}
