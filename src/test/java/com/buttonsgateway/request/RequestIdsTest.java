package com.buttonsgateway.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** SPEC 3: derived ids {@code <source>-<index>-<hash>}. */
class RequestIdsTest {

    private static String sha256Prefix(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }

    @Test
    void knownHash() {
        // SHA-256("{}") = 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
        assertThat(RequestIds.derive("orders", 0, "{}")).isEqualTo("orders-0-44136fa355b3");
    }

    @Test
    void hashIsOfTheUtf8ItemText() throws Exception {
        String item = "{\"body\":\"שלום 😀\"}";
        assertThat(RequestIds.derive("a", 17, item)).isEqualTo("a-17-" + sha256Prefix(item));
        assertThat(RequestIds.derive("a", 17, item)).matches("a-17-[0-9a-f]{12}");
    }

    @Test
    void sameItemSameIdOtherItemOtherId() {
        assertThat(RequestIds.derive("f", 1, "{\"a\":1}")).isEqualTo(RequestIds.derive("f", 1, "{\"a\":1}"))
                .isNotEqualTo(RequestIds.derive("f", 1, "{\"a\":2}"))
                .isNotEqualTo(RequestIds.derive("f", 2, "{\"a\":1}"));
    }

    @Test
    void spacesAndUnicodeInFileNamesBecomeUnderscores() {
        String source = RequestIds.sourceNameFromFile("הזמנות יום 2 😀.JSON");
        assertThat(source).isEqualTo("הזמנות יום 2 😀");
        assertThat(RequestIds.derive(source, 3, "{}")).isEqualTo("___________2__-3-44136fa355b3");
        assertThat(RequestIds.derive("my orders (v1.2).json", 0, "{}"))
                .isEqualTo("my_orders__v1.2_.json-0-44136fa355b3");
    }

    @Test
    void sourceIsCutTo80AndTheIdFitsTheIdRules() {
        String id = RequestIds.derive("x".repeat(300), 123456, "{}");
        assertThat(id).startsWith("x".repeat(80) + "-123456-");
        assertThat(id).hasSizeLessThanOrEqualTo(128).matches("[A-Za-z0-9._-]+");
        String emoji = RequestIds.derive("😀".repeat(100), 0, "{}");
        assertThat(emoji).startsWith("_".repeat(80) + "-0-");
    }

    @Test
    void fileNames() {
        assertThat(RequestIds.sourceNameFromFile("orders.json")).isEqualTo("orders");
        assertThat(RequestIds.sourceNameFromFile("orders.Json")).isEqualTo("orders");
        assertThat(RequestIds.sourceNameFromFile("orders.json.bak")).isEqualTo("orders.json.bak");
        assertThat(RequestIds.sourceNameFromFile("in/sub/orders.json")).isEqualTo("orders");
        assertThat(RequestIds.sourceNameFromFile("C:\\drop\\orders.json")).isEqualTo("orders");
    }

    @Test
    void messageIdsLoseTheirAngleBrackets() {
        String source = RequestIds.sourceNameFromMessageId(" <CAF=x+1@mail.example.com> ");
        assertThat(source).isEqualTo("CAF=x+1@mail.example.com");
        assertThat(RequestIds.derive(source, 2, "{}")).isEqualTo("CAF_x_1_mail.example.com-2-44136fa355b3");
        assertThat(RequestIds.sourceNameFromMessageId("no-brackets@x")).isEqualTo("no-brackets@x");
    }

    @Test
    void emptySourceGetsAWord() {
        assertThat(RequestIds.derive("", 0, "{}")).isEqualTo("source-0-44136fa355b3");
        assertThat(RequestIds.derive(null, 0, "{}")).isEqualTo("source-0-44136fa355b3");
    }
}
