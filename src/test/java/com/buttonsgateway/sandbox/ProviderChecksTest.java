package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderChecksTest extends SandboxFixture {

    private final ReceivedCalls calls = new ReceivedCalls();
    private final ProviderChecks checks = new ProviderChecks(ProviderChecks.providerJson(), KEY, calls);
    private final List<String> problems = new ArrayList<>();

    @Test
    void aRequestIsRecordedWhetherItParsesOrNot() {
        ObjectNode request = checks.request(withKey(buttons(), KEY));
        assertThatThrownBy(() -> checks.request("not json")).isInstanceOf(Refused.class);

        assertThat(request.get("apiKey").asText()).as("the checks still see the key").isEqualTo(KEY);
        assertThat(calls.count()).isEqualTo(2);
        assertThat(calls.received()).containsExactly(buttons());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1]", "\"text\"", "{\"a\":1} {}", "{\"a\":1,\"a\":2}"})
    void whatIsNotOneJsonObjectIsReason2(String body) {
        assertThatThrownBy(() -> checks.request(body))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(2))
                .hasMessageStartingWith("JSON syntax error");
    }

    @Test
    void aSyntaxErrorNamesThePlaceNeverTheText() {
        assertThatThrownBy(() -> checks.request("{\"apiKey\": " + KEY + "}"))
                .hasMessageContaining("line 1, column")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void theKeyMustBeTheExpectedOne() {
        checks.apiKey((ObjectNode) parse(withKey(buttons(), KEY)));

        assertThatThrownBy(() -> checks.apiKey((ObjectNode) parse(withKey(buttons(), "other"))))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(3))
                .hasMessage("wrong apiKey");
        assertThatThrownBy(() -> checks.apiKey(buttons())).hasMessage("wrong apiKey (apiKey missing)");
    }

    @Test
    void withoutAnExpectedKeyAnyKeyOrNoneGoesThrough() {
        ProviderChecks open = new ProviderChecks(ProviderChecks.providerJson(), "", calls);

        open.apiKey(buttons());
        open.apiKey((ObjectNode) parse(withKey(buttons(), "anything")));
    }

    @Test
    void toIsANumberOrAUserIdAndNeverAGroup() {
        assertThat(ProviderChecks.to(buttons().put("to", "IL.1605856887361213"))).isEqualTo("IL.1605856887361213");
        assertThat(ProviderChecks.to(buttons().put("to", 972501234567L))).isEqualTo("972501234567");
        assertReason(() -> ProviderChecks.to(buttons().put("to", " ")), 4, "to: empty");
        assertReason(() -> ProviderChecks.to(buttons().put("to", "120363025246125486@g.us")), 4, "to: groups");
        assertReason(() -> ProviderChecks.to(buttons().put("to", "+972501234567")), 4, "to: wrong number format");
        assertReason(() -> ProviderChecks.to(buttons().put("to", true)), 4, "to: wrong number format");
    }

    @Test
    void anEmptyBodyIsReason5AndABodyThatIsNoStringIsLeftToReason2() {
        assertReason(() -> ProviderChecks.body(buttons().put("body", "\n")), 5, "body empty");
        assertReason(() -> ProviderChecks.body(buttons().putNull("body")), 5, "body empty");
        assertThat(ProviderChecks.body(buttons().put("body", 12))).isNull();
        assertThat(ProviderChecks.body(buttons())).isEqualTo("Your order 1234 is ready. Deliver today?");
    }

    @Test
    void fromThatIsNoInternationalNumberIsAProblem() {
        assertThat(ProviderChecks.from(buttons(), problems)).isEqualTo(ACCOUNT);
        assertThat(ProviderChecks.from(buttons().put("from", "+972771234567"), problems)).isNull();
        assertThat(ProviderChecks.from(buttons().putNull("from"), problems)).isNull();

        assertThat(problems).containsExactly(
                "from: the account does not exist (an international number without +, digits only, 8 to 15)",
                "from: required (your WhatsApp account, an international number without +)");
    }

    @Test
    void aMediaLinkIsRequiredForMediaAndRefusedWithout() {
        ProviderChecks.mediaLink(buttons(), "headerURL", "header", 2, "image", problems);
        ProviderChecks.mediaLink(buttons().put("headerURL", "https://x.example.com/a.png"), "headerURL", "header", 1, null,
                problems);
        ProviderChecks.mediaLink(buttons().put("headerURL", "https://x.example.com/a.png"), "headerURL", "header", 3, "video",
                problems);
        ProviderChecks.mediaLink(buttons().put("headerURL", "https://x.example.com/a.PNG?v=1"), "headerURL", "header", 2,
                "image", problems);

        assertThat(problems).containsExactly(
                "headerURL: required for header 2 (image), an https URL",
                "headerURL: only for a media header, not for header 1",
                "headerURL: a video must be mp4, not .png");
    }

    @Test
    void unknownFieldsAreNamedWithTheClosestKnownOne() {
        ObjectNode request = JSON.createObjectNode().put("headerUrl", "x").put("id", "1").put("body", "b");

        ProviderChecks.unknownFields(request, Set.of("headerURL", "body", "to"), "Send Buttons", problems);

        assertThat(problems).containsExactly("unknown field 'headerUrl' (did you mean 'headerURL'?)",
                "unknown field 'id' (not a Send Buttons field)");
    }

    @Test
    void typedFieldReaders() {
        ObjectNode request = JSON.createObjectNode().put("a", "1").put("b", 0).put("c", true).put("d", 5).put("e", "x");

        assertThat(ProviderChecks.zeroOrOne(request, "a", problems)).isTrue();
        assertThat(ProviderChecks.zeroOrOne(request, "b", problems)).isFalse();
        assertThat(ProviderChecks.zeroOrOne(request, "missing", problems)).isFalse();
        assertThat(ProviderChecks.zeroOrOne(request, "c", problems)).isFalse();
        assertThat(ProviderChecks.optionalText(request, "e", problems)).isEqualTo("x");
        assertThat(ProviderChecks.optionalText(request, "d", problems)).isNull();
        assertThat(ProviderChecks.smallInt(request.get("a"))).isEqualTo(1);
        assertThat(ProviderChecks.smallInt(JSON.getNodeFactory().textNode("1234567890"))).isNull();
        assertThat(problems).containsExactly("c: must be 0 or 1", "d: must be a string");
    }

    @Test
    void withoutApiKeyRemovesTheKeyAtAnyDepthAndLeavesTheOriginal() {
        ObjectNode request = (ObjectNode) parse(withKey(buttons(), KEY));
        request.putObject("nested").put("apiKey", KEY).putArray("list").addObject().put("apiKey", KEY);

        assertThat(ProviderChecks.withoutApiKey(request).toString()).doesNotContain("apiKey");
        assertThat(request.get("apiKey").asText()).isEqualTo(KEY);
    }

    private static void assertReason(Runnable check, int reason, String message) {
        assertThatThrownBy(check::run)
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(reason))
                .hasMessageStartingWith(message);
    }
}
