package com.buttonsgateway.flow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.request.RequestIds;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hostile input through the inbox: each gets a clear error in .error/, nothing is lost or half-read. */
class HostileInputFlowTest {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("hostile", Map.of("gateway.default-country-code", "972"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Drops raw bytes and waits for the refusal report; returns the document-level problems. */
    private static JsonNode refused(String name, byte[] content) throws IOException {
        Path tmp = gateway.home().resolve(".tmp-" + name);
        Files.write(tmp, content);
        Files.move(tmp, gateway.inbox().resolve(name));
        String base = name.substring(0, name.length() - ".json".length());
        Path report = gateway.inbox().resolve(".error/" + base + ".error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report) && Files.exists(gateway.inbox().resolve(".error/" + name)));
        return TestGateway.readJson(report).path("problems");
    }

    private static String rules(JsonNode problems) {
        return String.join(",", problems.findValuesAsText("rule"));
    }

    @Test
    void aFiftyMegabyteFileIsRefusedWholeNamingTheLimit() throws IOException {
        Path tmp = gateway.home().resolve(".tmp-huge.json");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write("{\"to\": \"972501234567\", \"button1\": \"OK\", \"body\": \"".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write("\"}".getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, gateway.inbox().resolve("huge.json"));
        Path report = gateway.inbox().resolve(".error/huge.error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));
        JsonNode problems = TestGateway.readJson(report).path("problems");
        assertThat(rules(problems)).isEqualTo("too-large");
        assertThat(problems.get(0).path("message").asText()).contains("10485760").contains("gateway.inbox.max-file-bytes");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(gateway.inbox().resolve(".error/huge.json")) > 50L << 20);
    }

    @Test
    void binaryInvalidUtf8DeeplyNestedEmptyAndScalarDocumentsAreRefused() throws IOException {
        byte[] binary = new byte[4096];
        new java.util.Random(3).nextBytes(binary);
        binary[0] = (byte) 0xC3;
        binary[1] = (byte) 0x28;
        assertThat(rules(refused("binary.json", binary))).isEqualTo("encoding");
        assertThat(rules(refused("latin1.json", "{\"body\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo("encoding");
        assertThat(rules(refused("deep.json", ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("too-deep");
        JsonNode empty = refused("empty-array.json", "[]".getBytes(StandardCharsets.UTF_8));
        assertThat(rules(empty)).isEqualTo("empty");
        assertThat(rules(refused("scalar.json", "42".getBytes(StandardCharsets.UTF_8)))).isEqualTo("type");
        JsonNode notJson = refused("truncated.json", "{\"to\": \"9725".getBytes(StandardCharsets.UTF_8));
        assertThat(rules(notJson)).isEqualTo("not-json");
        assertThat(notJson.get(0).path("message").asText()).contains("line 1");
    }

    @Test
    void moreItemsThanTheLimitAreRefusedWhole() throws IOException {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 10_001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"to\":\"97250").append(1_000_000 + i).append("\",\"body\":\"b\",\"button1\":\"OK\"}");
        }
        JsonNode problems = refused("many.json", many.append(']').toString().getBytes(StandardCharsets.UTF_8));
        assertThat(rules(problems)).isEqualTo("too-many-items");
        assertThat(problems.get(0).path("message").asText()).contains("10000").contains("gateway.inbox.max-items");
    }

    @Test
    void fileNamesWithSpacesAndUnicodeGiveDerivedIdsPerSpec3() {
        String item = "{\"to\":\"+972 (50) 777-0001\",\"body\":\"שלום 👋\",\"button1\":\"כן\",\"template\":{\"name\":\"t\"}}";
        gateway.drop("הזמנה 12 (copy).json", item);
        String expected = RequestIds.derive("הזמנה 12 (copy)", 0, compact(item));
        assertThat(expected).startsWith("______12__copy_-0-");
        JsonNode result = gateway.awaitResult(expected);
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("source").asText()).isEqualTo("file:הזמנה 12 (copy).json");
    }

    @Test
    void numbersNullsAndDecoratedPhoneNumbersAreAcceptedAsSpec3Says() {
        gateway.drop("lenient.json", """
                [{"id": "num-1", "to": 972507770002, "body": "b", "button1": "OK", "footer": null, "header": "1",
                  "template": {"name": "t"}},
                 {"id": "num-2", "to": "+972 50-777-0003", "body": "b", "button1": "OK", "template": {"name": "t"}},
                 {"id": "num-3", "to": "050-777-0004", "body": "b", "button1": "OK", "template": {"name": "t"}},
                 {"id": "num-4", "to": "00972507770005", "body": "b", "button1": "OK", "showRequest": true, "template": {"name": "t"}}]
                """);
        for (String id : new String[] {"num-1", "num-2", "num-3", "num-4"}) {
            assertThat(gateway.awaitResult(id).path("status").asText()).as(id).isEqualTo("SENT");
        }
        SandboxProvider sandbox = gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
        assertThat(sandbox.received().stream().map(r -> r.path("to").asText()))
                .contains("972507770002", "972507770003", "972507770004", "972507770005");
    }

    @Test
    void aSymlinkInTheInboxIsReadOnceAndItsTargetLeftAlone() throws IOException {
        Path target = gateway.home().resolve("outside.json");
        Files.writeString(target, "{\"id\": \"link-1\", \"to\": \"972507770006\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}");
        Files.createSymbolicLink(gateway.inbox().resolve("link.json"), target);
        assertThat(gateway.awaitResult("link-1").path("status").asText()).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.isSymbolicLink(gateway.inbox().resolve(".done/link.json")));
        assertThat(target).exists();
    }

    @Test
    void anUnknownFieldNamedWithALineBreakGivesOneLogLineThatCannotBeForged() throws IOException {
        try (LogCapture log = LogCapture.start("hostile-forge")) {
            // the JSON escape \n is a real line break in the field's name once parsed
            JsonNode report = refusedReport("forged.json", "{\"to\": \"972507770010\", \"body\": \"b\", \"button1\": \"OK\","
                    + " \"x\\ninjected\": 1}");
            assertThat(report.findValuesAsText("field")).contains("x\ninjected");
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.matching("x\\ninjected").isEmpty());
            assertThat(log.matching("x\\ninjected")).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r"));
            assertThat(log.lines()).noneMatch(line -> line.contains("\ninjected"));
        }
    }

    @Test
    void anIdEndingInDuplicateIsRefusedSoADuplicatesReportCannotOverwriteItsResult() throws IOException {
        JsonNode report = refusedReport("dup-name.json",
                "{\"id\": \"order-5.duplicate\", \"to\": \"972507770011\", \"body\": \"b\", \"button1\": \"OK\"}");
        assertThat(report.findValuesAsText("rule")).contains("reserved-suffix");
        assertThat(report.findValuesAsText("field")).contains("id");
        assertThat(gateway.results().resolve("order-5.duplicate.json")).doesNotExist();
    }

    /** Drops a file whose items are all invalid and returns its whole .error.json report. */
    private static JsonNode refusedReport(String name, String content) throws IOException {
        gateway.drop(name, content);
        Path report = gateway.inbox().resolve(".error/" + name.substring(0, name.length() - ".json".length()) + ".error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));
        return TestGateway.readJson(report);
    }

    private static String compact(String json) {
        try {
            return TestGateway.JSON.readTree(json).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
