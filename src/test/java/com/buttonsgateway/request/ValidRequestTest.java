package com.buttonsgateway.request;

import static com.buttonsgateway.request.TestJson.MAPPER;
import static com.buttonsgateway.request.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store keeps a ValidRequest as JSON: it must come back equal. */
class ValidRequestTest {

    private final ObjectMapper plain = new ObjectMapper();

    @Test
    void fullRequestRoundTripsThroughJackson() throws Exception {
        ValidRequest r = new RequestValidator("972771234567", "972").validate(json("{'id':'a1','to':'0501234567',"
                + "'header':4,'headerURL':'https://e.example/d.pdf','body':'שלום 😀','footer':'f','button1':'A',"
                + "'button2':'B','button2_id':'b','replyTo':'R','showRequest':0,'localStorage':'true',"
                + "'whenClosed':'template','template':{'name':'t','headerType':5,'headerLink':'https://e.example/x.pdf',"
                + "'bodyVariable1':'v'}}")).request();
        String text = plain.writeValueAsString(r);
        assertThat(plain.readValue(text, ValidRequest.class)).isEqualTo(r);
    }

    @Test
    void sparseRequestWithNullsAndWarningsRoundTrips() throws Exception {
        ValidRequest r = new ValidRequest(null, "972771234567", "IL.1605856887361213", 1, null, "b", null,
                List.of(new ValidRequest.Button("x", "1")), "https://e.example", null, null, null, null, null,
                List.of("button2 is ignored: with buttonExternal, button1 is the only button"));
        assertThat(MAPPER.readValue(MAPPER.writeValueAsBytes(r), ValidRequest.class)).isEqualTo(r);
    }

    @Test
    void templateOnlyIsDerivedNotStored() throws Exception {
        ValidRequest r = new RequestValidator("972771234567", "972").validate(json("{'to':'972501234567',"
                + "'whenClosed':'template','template':{'name':'t'}}")).request();
        String text = plain.writeValueAsString(r);
        assertThat(text).doesNotContain("templateOnly");
        ValidRequest back = plain.readValue(text, ValidRequest.class);
        assertThat(back).isEqualTo(r);
        assertThat(back.templateOnly()).isTrue();
    }

    @Test
    void sendAtIsKeptAsIsoTextWithoutAJavaTimeModule() throws Exception {
        ValidRequest r = new RequestValidator("972771234567", "972").validate(json("{'to':'972501234567',"
                + "'body':'b','button1':'x','sendAt':'" + java.time.Instant.now().plusSeconds(3600).atOffset(
                java.time.ZoneOffset.ofHours(2)) + "'}")).request();
        String text = plain.writeValueAsString(r);
        assertThat(plain.readTree(text).get("sendAt").textValue()).isEqualTo(r.sendAt().toString());
        assertThat(plain.readValue(text, ValidRequest.class)).isEqualTo(r);
    }

    @Test
    void aRequestStoredBeforeSendAtReadsBackWithoutOne() throws Exception {
        String stored = "{\"id\":null,\"from\":\"1\",\"to\":\"2\",\"header\":1,\"headerURL\":null,\"body\":\"b\","
                + "\"footer\":null,\"buttons\":[{\"title\":\"x\",\"id\":\"1\"}],\"buttonExternal\":null,"
                + "\"replyTo\":null,\"showRequest\":null,\"localStorage\":null,\"template\":null,"
                + "\"whenClosed\":null,\"warnings\":[]}";
        ValidRequest r = plain.readValue(stored, ValidRequest.class);
        assertThat(r.sendAt()).isNull();
        assertThat(r.buttons()).containsExactly(new ValidRequest.Button("x", "1"));
    }

    @Test
    void listsAreImmutableAndNeverNull() {
        ValidRequest r = new ValidRequest(null, "1", "2", 1, null, "b", null, null, null, null, null, null,
                new ValidRequest.Template("t", 1, null, null), null, null);
        assertThat(r.buttons()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.template().bodyVariables()).isEmpty();
        assertThatThrownBy(() -> r.buttons().add(new ValidRequest.Button("a", "1")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withIdKeepsEverythingElse() {
        ValidRequest r = new ValidRequest(null, "1", "2", 1, null, "b", null, List.of(), null, null, null, null,
                null, null, List.of());
        ValidRequest named = r.withId("src-0-abcdefabcdef");
        assertThat(named.id()).isEqualTo("src-0-abcdefabcdef");
        assertThat(named.withId(null)).isEqualTo(r);
    }

    @Test
    void validationHoldsARequestOrProblems() {
        assertThatThrownBy(() -> new Validation(null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Validation.rejected(List.of(new Problem("a", "b", "c"))).valid()).isFalse();
    }
}
