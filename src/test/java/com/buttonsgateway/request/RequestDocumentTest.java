package com.buttonsgateway.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.buttonsgateway.request.RequestDocument.Limits;
import com.buttonsgateway.request.RequestDocument.Parsed;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC 3 and 4.1: what makes a whole document refused, and how items are cut out of it. */
class RequestDocumentTest {

    private static final Limits LIMITS = new Limits(10_485_760, 10_000);

    private static Parsed parse(String text) {
        return RequestDocument.parse(text, LIMITS);
    }

    private static Problem onlyProblem(Parsed parsed) {
        assertThat(parsed.valid()).isFalse();
        assertThat(parsed.items()).isEmpty();
        assertThat(parsed.problems()).hasSize(1);
        assertThat(parsed.problems().get(0).field()).isEqualTo("document");
        return parsed.problems().get(0);
    }

    @Test
    void oneObjectIsOneItem() {
        Parsed parsed = parse("{ \"to\" : \"972501234567\",\n  \"body\": \"hi\" }");
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.items()).singleElement().satisfies(item -> {
            assertThat(item.index()).isZero();
            assertThat(item.json().get("body").asText()).isEqualTo("hi");
            assertThat(item.text()).isEqualTo("{\"to\":\"972501234567\",\"body\":\"hi\"}");
        });
    }

    @Test
    void arrayItemsKeepTheirIndexAndNonObjectsStayItems() {
        Parsed parsed = parse("[{\"a\":1}, 7, \"x\", {\"b\": [1, 2]}]");
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.items()).extracting(RequestDocument.Item::index).containsExactly(0, 1, 2, 3);
        assertThat(parsed.items()).extracting(RequestDocument.Item::text)
                .containsExactly("{\"a\":1}", "7", "\"x\"", "{\"b\":[1,2]}");
    }

    @Test
    void unicodeSurvivesAndAByteOrderMarkIsSkipped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] json = "{\"body\":\"שלום 😀\"}".getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[bom.length + json.length];
        System.arraycopy(bom, 0, both, 0, bom.length);
        System.arraycopy(json, 0, both, bom.length, json.length);
        Parsed parsed = RequestDocument.parse(both, LIMITS);
        assertThat(parsed.items().get(0).json().get("body").asText()).isEqualTo("שלום 😀");
    }

    @Test
    void tooLargeNamesTheLimitAndKey() {
        Problem p = onlyProblem(RequestDocument.parse("{\"a\":1}", new Limits(6, 10)));
        assertThat(p.rule()).isEqualTo("too-large");
        assertThat(p.message()).contains("larger than 6 bytes").contains("gateway.inbox.max-file-bytes");
        assertThat(RequestDocument.parse("{\"a\":1}", new Limits(7, 10)).valid()).isTrue();
    }

    @Test
    void notUtf8() {
        byte[] latin1 = "{\"body\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Problem p = onlyProblem(RequestDocument.parse(latin1, LIMITS));
        assertThat(p.rule()).isEqualTo("encoding");
        assertThat(p.message()).contains("UTF-8").contains("offset 12");
    }

    @Test
    void notJsonGivesLineAndColumn() {
        Problem p = onlyProblem(parse("{\n  \"to\": \"1\",\n  \"body\" \"x\"\n}"));
        assertThat(p.rule()).isEqualTo("not-json");
        assertThat(p.message()).contains("line 3, column");
    }

    @Test
    void badTokenTextIsNotEchoed() {
        Problem p = onlyProblem(parse("{\"apiKey\": SECRETKEY123}"));
        assertThat(p.rule()).isEqualTo("not-json");
        assertThat(p.message()).doesNotContain("SECRETKEY123").contains("line 1");
    }

    @Test
    void trailingContentAndDuplicateFieldsAreRefused() {
        assertThat(onlyProblem(parse("{\"a\":1} {\"b\":2}")).rule()).isEqualTo("not-json");
        Problem dup = onlyProblem(parse("{\"to\":\"1\",\"to\":\"2\"}"));
        assertThat(dup.rule()).isEqualTo("not-json");
        assertThat(dup.message()).contains("Duplicate field 'to'");
    }

    @Test
    void emptyDocumentAndEmptyArray() {
        assertThat(onlyProblem(parse("  \n")).rule()).isEqualTo("empty");
        assertThat(onlyProblem(RequestDocument.parse(new byte[0], LIMITS)).rule()).isEqualTo("empty");
        Problem p = onlyProblem(parse("[ ]"));
        assertThat(p.rule()).isEqualTo("empty");
        assertThat(p.message()).contains("empty array");
    }

    @Test
    void neitherObjectNorArray() {
        Problem p = onlyProblem(parse("\"hello\""));
        assertThat(p.rule()).isEqualTo("type");
        assertThat(p.message()).contains("object or an array").contains("a string");
        assertThat(onlyProblem(parse("42")).message()).contains("a number");
        assertThat(onlyProblem(parse("null")).rule()).isEqualTo("type");
    }

    @Test
    void moreItemsThanTheLimitRefusesTheWholeDocument() {
        String three = "[{},{},{}]";
        assertThat(RequestDocument.parse(three, new Limits(1000, 3)).items()).hasSize(3);
        Problem p = onlyProblem(RequestDocument.parse(three, new Limits(1000, 2)));
        assertThat(p.rule()).isEqualTo("too-many-items");
        assertThat(p.message()).contains("at most 2").contains("gateway.inbox.max-items");
    }

    @Test
    void nestingDeeperThan32IsRefusedWithoutBlowingTheStack() {
        String ok = "{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}";
        assertThat(parse(ok).valid()).isTrue();
        String deep = "{\"a\":" + "[".repeat(32) + "]".repeat(32) + "}";
        assertThat(onlyProblem(parse(deep)).rule()).isEqualTo("too-deep");
        String hostile = "[".repeat(100_000) + "]".repeat(100_000);
        Problem p = onlyProblem(parse(hostile));
        assertThat(p.rule()).isEqualTo("too-deep");
        assertThat(p.message()).contains("32 levels");
    }

    @Test
    void hundredThousandItems() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            text.append(i == 0 ? "" : ",").append("{\"to\":\"97250").append(1_000_000 + i).append("\",\"body\":\"b\"}");
        }
        String document = text.append("]").toString();
        Parsed all = RequestDocument.parse(document, new Limits(100_000_000, 100_000));
        assertThat(all.items()).hasSize(100_000);
        assertThat(all.items().get(99_999).index()).isEqualTo(99_999);
        Parsed refused = RequestDocument.parse(document, new Limits(100_000_000, 10_000));
        assertThat(onlyProblem(refused).message()).contains("10000").contains("gateway.inbox.max-items");
    }
}
