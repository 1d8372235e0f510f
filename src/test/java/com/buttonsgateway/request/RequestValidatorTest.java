package com.buttonsgateway.request;

import static com.buttonsgateway.request.TestJson.fields;
import static com.buttonsgateway.request.TestJson.json;
import static com.buttonsgateway.request.TestJson.minimal;
import static com.buttonsgateway.request.TestJson.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator("972771234567", "972");
    private final RequestValidator noCountryCode = new RequestValidator("972771234567", "");

    private Validation validate(JsonNode item) {
        return validator.validate(item);
    }

    private Problem onlyProblem(JsonNode item) {
        Validation v = validate(item);
        assertThat(v.valid()).as("problems of %s", item).isFalse();
        assertThat(v.problems()).hasSize(1);
        return v.problems().get(0);
    }

    private static Problem onlyProblem(RequestValidator validator, JsonNode item) {
        Validation v = validator.validate(item);
        assertThat(v.problems()).as("problems of %s", item).hasSize(1);
        return v.problems().get(0);
    }

    private ValidRequest valid(JsonNode item) {
        Validation v = validate(item);
        assertThat(v.problems()).as("problems of %s", item).isEmpty();
        assertThat(v.valid()).isTrue();
        return v.request();
    }

    @Test
    void minimalRequestGetsDefaults() {
        ValidRequest r = valid(minimal());
        assertThat(r.id()).isNull();
        assertThat(r.from()).isEqualTo("972771234567");
        assertThat(r.to()).isEqualTo("972501234567");
        assertThat(r.header()).isEqualTo(1);
        assertThat(r.headerURL()).isNull();
        assertThat(r.buttons()).containsExactly(new ValidRequest.Button("Yes", "1"));
        assertThat(r.showRequest()).isNull();
        assertThat(r.localStorage()).isNull();
        assertThat(r.template()).isNull();
        assertThat(r.whenClosed()).isNull();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void fullRequestIsKept() {
        ValidRequest r = valid(json("{'id':'order-77.a_1','from':'+972 77-123-4568','to':'972501234567',"
                + "'header':2,'headerURL':'https://cdn.example.com/a/pic.JPG','body':'Hi *there*','footer':'f',"
                + "'button1':'Yes','button2':'No','button3':'Maybe','button1_id':'y','button2_id':'n',"
                + "'replyTo':'ABCD','showRequest':true,'localStorage':'0','whenClosed':'HOLD',"
                + "'template':{'name':'order_update','headerType':5,'headerLink':'https://x.example/doc.pdf',"
                + "'bodyVariable1':'Dana','bodyVariable2':42}}"));
        assertThat(r.id()).isEqualTo("order-77.a_1");
        assertThat(r.from()).isEqualTo("972771234568");
        assertThat(r.header()).isEqualTo(2);
        assertThat(r.headerURL()).isEqualTo("https://cdn.example.com/a/pic.JPG");
        assertThat(r.footer()).isEqualTo("f");
        assertThat(r.buttons()).containsExactly(new ValidRequest.Button("Yes", "y"),
                new ValidRequest.Button("No", "n"), new ValidRequest.Button("Maybe", "3"));
        assertThat(r.replyTo()).isEqualTo("ABCD");
        assertThat(r.showRequest()).isEqualTo(1);
        assertThat(r.localStorage()).isEqualTo(0);
        assertThat(r.whenClosed()).isEqualTo("hold");
        assertThat(r.template()).isEqualTo(new ValidRequest.Template("order_update", 5,
                "https://x.example/doc.pdf", List.of("Dana", "42")));
    }

    @Test
    void notAnObjectIsOneProblem() {
        Problem p = onlyProblem(json("[1]"));
        assertThat(p.field()).isEqualTo("item");
        assertThat(p.message()).contains("each item must be a JSON object");
        assertThat(onlyProblem(json("'text'")).message()).contains("each item must be a JSON object");
        assertThat(validator.validate(null).valid()).isFalse();
    }

    @Test
    void severalProblemsAreReportedTogether() {
        Validation v = validate(json("{'to':'123','body':'','button1':'" + "x".repeat(21) + "',"
                + "'button3':'c','footer':'" + "f".repeat(61) + "','header':9,'buton2':'b','apiKey':'s3cr3t'}"));
        assertThat(v.valid()).isFalse();
        assertThat(v.request()).isNull();
        assertThat(fields(v.problems())).containsExactlyInAnyOrder(
                "buton2", "apiKey", "to", "header", "body", "footer", "button1", "button3");
    }

    @Nested
    class FieldNamesAndApiKey {

        @Test
        void unknownFieldNamesTheClosestKnownField() {
            assertThat(onlyProblem(minimalWith("buton1", "x"))).isEqualTo(new Problem("buton1", "unknown-field",
                    "unknown field 'buton1' (did you mean 'button1'?)"));
            Problem p = onlyProblem(minimalWith("buton1_id", "x"));
            assertThat(p).isEqualTo(new Problem("buton1_id", "unknown-field",
                    "unknown field 'buton1_id' (did you mean 'button1_id'?)"));
            assertThat(onlyProblem(minimalWith("Footer", "x")).message()).contains("did you mean 'footer'");
            assertThat(onlyProblem(minimalWith("headerUrl", "x")).message()).contains("did you mean 'headerURL'");
        }

        @Test
        void unknownFieldWithNullValueIsStillUnknown() {
            ObjectNode item = minimal();
            item.putNull("phone");
            assertThat(onlyProblem(item).rule()).isEqualTo("unknown-field");
        }

        @Test
        void fourthButtonAndTemplateFieldsAtTopLevelGetSpecificHints() {
            assertThat(onlyProblem(minimalWith("button4", "x")).message()).contains("at most 3 buttons");
            assertThat(onlyProblem(minimalWith("headerLink", "https://x.example/a.png")).message())
                    .contains("inside \"template\"").contains("template.headerLink");
        }

        @Test
        void apiKeyIsRefusedAndNeverEchoed() {
            Problem p = onlyProblem(minimalWith("apiKey", "TOP-SECRET-123"));
            assertThat(p.field()).isEqualTo("apiKey");
            assertThat(p.rule()).isEqualTo("not-allowed");
            assertThat(p.message()).contains("gateway.provider.api-key").doesNotContain("TOP-SECRET-123");
        }

        @Test
        void apiKeySpellingVariantsAreRefusedToo() {
            assertThat(onlyProblem(minimalWith("api_key", "k")).rule()).isEqualTo("not-allowed");
            assertThat(onlyProblem(minimalWith("APIKEY", "k")).rule()).isEqualTo("not-allowed");
        }

        @Test
        void nullApiKeyIsAbsent() {
            ObjectNode item = minimal();
            item.putNull("apiKey");
            valid(item);
        }

        @Test
        void nullValuesAreAbsent() {
            ObjectNode item = minimal();
            for (String name : List.of("id", "from", "header", "headerURL", "footer", "button2", "button3",
                    "button1_id", "buttonExternal", "replyTo", "showRequest", "localStorage", "template",
                    "whenClosed", "sendAt")) {
                item.putNull(name);
            }
            ValidRequest r = valid(item);
            assertThat(r.from()).isEqualTo("972771234567");
            assertThat(r.header()).isEqualTo(1);
        }

        @Test
        void nullRequiredFieldIsRequired() {
            ObjectNode item = minimal();
            item.putNull("body");
            assertThat(onlyProblem(item)).isEqualTo(new Problem("body", "required", "body is required"));
        }
    }

    @Nested
    class Types {

        @Test
        void bodyAsObjectIsATypeProblem() {
            Problem p = onlyProblem(minimalWith("body", java.util.Map.of("text", "hi")));
            assertThat(p).isEqualTo(new Problem("body", "type", "body must be a string, not an object"));
        }

        @Test
        void buttonAsArrayAndFooterAsBooleanAreTypeProblems() {
            ObjectNode item = minimal();
            item.putArray("button1").add("a");
            item.put("footer", true);
            Validation v = validate(item);
            assertThat(v.problems()).extracting(Problem::field, Problem::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("footer", "type"),
                            org.assertj.core.groups.Tuple.tuple("button1", "type"));
        }

        @Test
        void headerAsNumberOrNumericString() {
            assertThat(valid(minimalWith("header", "1")).header()).isEqualTo(1);
            assertThat(valid(minimalWith("header", 1)).header()).isEqualTo(1);
            assertThat(valid(minimalWith("header", "")).header()).isEqualTo(1);
            assertThat(onlyProblem(minimalWith("header", true)).rule()).isEqualTo("type");
            assertThat(onlyProblem(minimalWith("header", "one")).rule()).isEqualTo("enum");
            assertThat(onlyProblem(minimalWith("header", 1.5)).rule()).isEqualTo("enum");
            assertThat(valid(minimalWith("header", json("1.0"))).header()).isEqualTo(1);
        }

        @Test
        void hugeAndNonFiniteNumbersAreProblemsNotCrashes() {
            assertThat(onlyProblem(minimalWith("header", json("1e400"))).rule()).isEqualTo("enum");
            assertThat(onlyProblem(minimalWith("showRequest", "1e999999999")).rule()).isEqualTo("enum");
            assertThat(onlyProblem(minimalWith("to", json("1e400"))).rule()).isEqualTo("type");
            assertThat(onlyProblem(minimalWith("body", json("1e400"))).rule()).isEqualTo("type");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "5", "-1", "99999999999999999999"})
        void headerOutOfRange(String header) {
            Problem p = onlyProblem(minimalWith("header", json(header)));
            assertThat(p.rule()).isEqualTo("enum");
            assertThat(p.message()).isEqualTo("header must be 1 (none), 2 (image), 3 (video) or 4 (document)");
        }

        @Test
        void flagsAcceptNumbersStringsAndBooleans() {
            assertThat(valid(minimalWith("showRequest", 1)).showRequest()).isEqualTo(1);
            assertThat(valid(minimalWith("showRequest", "0")).showRequest()).isEqualTo(0);
            assertThat(valid(minimalWith("showRequest", true)).showRequest()).isEqualTo(1);
            assertThat(valid(minimalWith("showRequest", "false")).showRequest()).isEqualTo(0);
            assertThat(valid(minimalWith("localStorage", "TRUE")).localStorage()).isEqualTo(1);
            assertThat(valid(minimalWith("localStorage", false)).localStorage()).isEqualTo(0);
            assertThat(onlyProblem(minimalWith("localStorage", 2)).rule()).isEqualTo("enum");
            assertThat(onlyProblem(minimalWith("showRequest", "yes")).rule()).isEqualTo("enum");
            assertThat(onlyProblem(minimalWith("showRequest", List.of())).rule()).isEqualTo("type");
        }
    }

    @Nested
    class Id {

        @Test
        void lengthBoundary128And129() {
            assertThat(valid(minimalWith("id", "a".repeat(128))).id()).hasSize(128);
            assertThat(onlyProblem(minimalWith("id", "a".repeat(129)))).isEqualTo(new Problem("id", "max-length",
                    "id is 129 characters; at most 128 are allowed"));
        }

        @Test
        void oneCharacterIsEnoughAndEmptyIsNot() {
            assertThat(valid(minimalWith("id", "x")).id()).isEqualTo("x");
            assertThat(onlyProblem(minimalWith("id", "")).rule()).isEqualTo("empty");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "a/b", "ä", "a:b", "id\n"})
        void charsetIsEnforced(String id) {
            assertThat(onlyProblem(minimalWith("id", id)).rule()).isEqualTo("pattern");
        }

        @ParameterizedTest
        @ValueSource(strings = {"order-1.duplicate", "order-1.DUPLICATE", ".duplicate"})
        void anIdEndingInDuplicateIsRefusedSoNoResultFileIsEverAnotherMessagesDuplicateReport(String id) {
            Problem p = onlyProblem(minimalWith("id", id));
            assertThat(p.field()).isEqualTo("id");
            assertThat(p.rule()).isEqualTo("reserved-suffix");
            assertThat(p.message()).contains("'.duplicate'");
        }

        @Test
        void duplicateInsideAnIdIsFine() {
            assertThat(valid(minimalWith("id", "order.duplicate.2")).id()).isEqualTo("order.duplicate.2");
            assertThat(valid(minimalWith("id", "duplicate")).id()).isEqualTo("duplicate");
        }

        @Test
        void numericIdIsReadAsDigits() {
            assertThat(valid(minimalWith("id", 12345)).id()).isEqualTo("12345");
        }
    }

    @Nested
    class Header {

        @Test
        void headerUrlMustBeHttps() {
            ValidRequest r = valid(json("{'to':'972501234567','body':'b','button1':'x','header':2,"
                    + "'headerURL':'https://example.com/p.png'}"));
            assertThat(r.headerURL()).isEqualTo("https://example.com/p.png");
            Problem p = onlyProblem(json("{'to':'972501234567','body':'b','button1':'x','header':2,"
                    + "'headerURL':'http://example.com/p.png'}"));
            assertThat(p).isEqualTo(new Problem("headerURL", "https",
                    "headerURL must be an https URL when header is 2 (image)"));
        }

        @Test
        void headerUrlRequiredFor234() {
            for (int header : new int[] {2, 3, 4}) {
                Problem p = onlyProblem(minimalWith("header", header));
                assertThat(p.field()).isEqualTo("headerURL");
                assertThat(p.rule()).isEqualTo("required");
            }
        }

        @Test
        void headerUrlRefusedForHeader1() {
            Problem p = onlyProblem(minimalWith("headerURL", "https://example.com/p.png"));
            assertThat(p.rule()).isEqualTo("not-allowed");
            assertThat(p.field()).isEqualTo("headerURL");
            valid(minimalWith("headerURL", ""));
        }

        @Test
        void extensionMustFitTheType() {
            ObjectNode video = minimalWith("header", 3);
            video.put("headerURL", "https://example.com/v.mp4?sig=1");
            valid(video);
            video.put("headerURL", "https://example.com/v.png");
            Problem p = onlyProblem(video);
            assertThat(p.rule()).isEqualTo("file-type");
            assertThat(p.message()).contains(".png").contains("header is 3 (video)").contains(".mp4");
            ObjectNode document = minimalWith("header", 4);
            document.put("headerURL", "https://example.com/files/report.PDF");
            valid(document);
            document.put("headerURL", "https://example.com/download");
            valid(document);
            document.put("headerURL", "https://example.com/report.docx");
            assertThat(onlyProblem(document).rule()).isEqualTo("file-type");
            ObjectNode image = minimalWith("header", 2);
            image.put("headerURL", "https://example.com/a.jpeg");
            valid(image);
            image.put("headerURL", "https://example.com/a.gif");
            assertThat(onlyProblem(image).rule()).isEqualTo("file-type");
        }

        @Test
        void malformedUrl() {
            ObjectNode image = minimalWith("header", 2);
            image.put("headerURL", "https://exa mple.com/a.png");
            assertThat(onlyProblem(image).rule()).isEqualTo("https");
            image.put("headerURL", "https:///a.png");
            assertThat(onlyProblem(image).rule()).isEqualTo("https");
        }
    }

    @Nested
    class Texts {

        @Test
        void bodyBoundary1024And1025InCodePoints() {
            valid(minimalWith("body", "א".repeat(1024)));
            valid(minimalWith("body", "😀".repeat(1024)));
            assertThat(onlyProblem(minimalWith("body", "😀".repeat(1025)))).isEqualTo(new Problem("body",
                    "max-length", "body is 1025 characters; at most 1024 are allowed"));
        }

        @Test
        void bodyRequiredAndNotBlank() {
            ObjectNode item = minimal();
            item.remove("body");
            assertThat(onlyProblem(item)).isEqualTo(new Problem("body", "required", "body is required"));
            assertThat(onlyProblem(minimalWith("body", "  \n ")).rule()).isEqualTo("empty");
        }

        @Test
        void footerBoundary60And61() {
            assertThat(valid(minimalWith("footer", "ש".repeat(60))).footer()).hasSize(60);
            assertThat(onlyProblem(minimalWith("footer", "ש".repeat(61)))).isEqualTo(new Problem("footer",
                    "max-length", "footer is 61 characters; at most 60 are allowed"));
        }

        @Test
        void whenClosedIsOneOfThree() {
            assertThat(valid(minimalWith("whenClosed", "reject")).whenClosed()).isEqualTo("reject");
            assertThat(valid(minimalWith("whenClosed", "template")).whenClosed()).isEqualTo("template");
            assertThat(onlyProblem(minimalWith("whenClosed", "drop")).rule()).isEqualTo("enum");
        }
    }

    @Nested
    class Buttons {

        @Test
        void button1Required() {
            ObjectNode item = minimal();
            item.remove("button1");
            assertThat(onlyProblem(item)).isEqualTo(new Problem("button1", "required", "button1 is required"));
        }

        @Test
        void twentyCharactersAllowedTwentyOneNot() {
            valid(minimalWith("button1", "b".repeat(20)));
            assertThat(onlyProblem(minimalWith("button1", "b".repeat(21)))).isEqualTo(new Problem("button1",
                    "max-length", "button1 is 21 characters; at most 20 are allowed"));
        }

        @Test
        void emojiAndHebrewCountAsOneCharacterEach() {
            valid(minimalWith("button2", "😀".repeat(20)));
            valid(minimalWith("button2", "כ".repeat(20)));
            assertThat(onlyProblem(minimalWith("button2", "😀".repeat(21))).message())
                    .isEqualTo("button2 is 21 characters; at most 20 are allowed");
            assertThat(onlyProblem(minimalWith("button2", "כ".repeat(21))).rule()).isEqualTo("max-length");
        }

        @Test
        void noGaps() {
            ObjectNode item = minimalWith("button3", "c");
            assertThat(onlyProblem(item)).isEqualTo(new Problem("button3", "gap",
                    "button3 is given without button2; buttons are filled in order"));
        }

        @Test
        void titlesUnique() {
            ObjectNode item = minimalWith("button2", "Yes");
            Problem p = onlyProblem(item);
            assertThat(p.field()).isEqualTo("button2");
            assertThat(p.rule()).isEqualTo("unique");
        }

        @Test
        void idsUniqueAndBoundary256And257() {
            ObjectNode item = minimalWith("button1_id", "i".repeat(256));
            assertThat(valid(item).buttons().get(0).id()).hasSize(256);
            item.put("button1_id", "i".repeat(257));
            assertThat(onlyProblem(item)).isEqualTo(new Problem("button1_id", "max-length",
                    "button1_id is 257 characters; at most 256 are allowed"));
            ObjectNode same = minimalWith("button2", "No");
            same.put("button2_id", "1");
            assertThat(onlyProblem(same).field()).isEqualTo("button2_id");
        }

        @Test
        void idWithoutButtonIsAWarning() {
            ValidRequest r = valid(minimalWith("button2_id", "x"));
            assertThat(r.buttons()).hasSize(1);
            assertThat(r.warnings()).containsExactly("button2_id is ignored: there is no button2");
        }
    }

    @Nested
    class External {

        @ParameterizedTest
        @ValueSource(strings = {"https://www.example.com/page", "http://example.com", "info@example.co.il"})
        void websiteOrEmailGoesAsGiven(String value) {
            assertThat(valid(minimalWith("buttonExternal", value)).buttonExternal()).isEqualTo(value);
        }

        @Test
        void phoneIsNormalised() {
            assertThat(valid(minimalWith("buttonExternal", "+972 3-123-4567")).buttonExternal())
                    .isEqualTo("97231234567");
            assertThat(valid(minimalWith("buttonExternal", "03-1234567")).buttonExternal())
                    .isEqualTo("97231234567");
        }

        @ParameterizedTest
        @ValueSource(strings = {"www.example.com", "ftp://example.com", "a@b", "12", "https://"})
        void anythingElseIsRefused(String value) {
            Problem p = onlyProblem(minimalWith("buttonExternal", value));
            assertThat(p.field()).isEqualTo("buttonExternal");
            assertThat(p.message()).contains("website URL").contains("phone number").contains("email address");
        }

        @Test
        void button1MustHaveNoEmoji() {
            ObjectNode item = minimalWith("buttonExternal", "https://example.com");
            item.put("button1", "Visit 👉");
            assertThat(onlyProblem(item)).isEqualTo(new Problem("button1", "emoji",
                    "button1 is the label of the external button and must not contain emoji"));
            item.put("button1", "אתר החברה");
            valid(item);
        }

        /** Symbols that Unicode marks Extended_Pictographic: WhatsApp draws them as emoji. */
        @ParameterizedTest
        @ValueSource(strings = {"Terms ©", "Brand™", "Open ↗", "◾ Shop", "▶ Play", "Site ❤️", "1️⃣ Call",
                "Go 🇮🇱", "Hi 👋🏽", "Dial #️⃣"})
        void pictographicSymbolsAreEmojiToo(String label) {
            ObjectNode item = minimalWith("buttonExternal", "https://example.com");
            item.put("button1", label);
            assertThat(onlyProblem(item)).isEqualTo(new Problem("button1", "emoji",
                    "button1 is the label of the external button and must not contain emoji"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"אתר החברה", "Café crème", "Çağrı ñ ü", "Call 03-1234567", "Order #42",
                "50% off!", "A&B (new)", "Q: why? \"yes\"", "Page 1/2 *", "→ next", "Schön · Straße"})
        void lettersDigitsAndPunctuationAreNotEmoji(String label) {
            ObjectNode item = minimalWith("buttonExternal", "https://example.com");
            item.put("button1", label);
            assertThat(valid(item).buttons().get(0).title()).isEqualTo(label);
        }

        @Test
        void otherButtonsAndLocalStorageAreIgnoredWithWarnings() {
            ObjectNode item = minimalWith("buttonExternal", "https://example.com");
            item.put("button2", "No");
            item.put("button3", "No");
            item.put("localStorage", 1);
            ValidRequest r = valid(item);
            assertThat(r.buttons()).containsExactly(new ValidRequest.Button("Yes", "1"));
            assertThat(r.localStorage()).isNull();
            assertThat(r.warnings()).containsExactly(
                    "button2 is ignored: with buttonExternal, button1 is the only button",
                    "button3 is ignored: with buttonExternal, button1 is the only button",
                    "localStorage is ignored: it does not apply with buttonExternal");
        }
    }

    /** SPEC 3, 5: an ISO-8601 date-time with offset, at most 30 days ahead of the validator's clock. */
    @Nested
    class SendAt {

        private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
        private final RequestValidator atNoon = new RequestValidator("972771234567", "972",
                Clock.fixed(NOW, ZoneOffset.UTC));

        private Validation at(Object sendAt) {
            return atNoon.validate(minimalWith("sendAt", sendAt));
        }

        @Test
        void offsetOrZuluIsKeptAsAnInstant() {
            assertThat(at("2026-12-01T09:00:00+02:00").request().sendAt())
                    .isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
            assertThat(at("2026-12-01T07:00:00Z").request().sendAt()).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
            assertThat(at("2026-12-01t07:00:00.250z").request().sendAt())
                    .isEqualTo(Instant.parse("2026-12-01T07:00:00.250Z"));
            assertThat(at(" 2026-12-01T07:00-05:00 ").request().sendAt())
                    .isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
        }

        @Test
        void absentOrBlankIsNow() {
            assertThat(atNoon.validate(minimal()).request().sendAt()).isNull();
            assertThat(at("").request().sendAt()).isNull();
        }

        @Test
        void aTimeInThePastIsValidAndMeansNow() {
            assertThat(at("2020-01-01T00:00:00Z").request().sendAt()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-12-01T09:00:00", "2026-12-01", "2026-12-01 09:00:00+02:00", "tomorrow",
                "1796108400", "2026-13-01T09:00:00Z", "2026-12-01T09:00:00+25:00", "01/12/2026 09:00"})
        void withoutAnOffsetOrNotIsoIsAFormatProblem(String sendAt) {
            assertThat(onlyProblem(atNoon, minimalWith("sendAt", sendAt))).isEqualTo(new Problem("sendAt", "format",
                    "sendAt must be an ISO-8601 date-time with an offset, such as 2026-12-01T09:00:00+02:00 or "
                            + "2026-12-01T07:00:00Z"));
        }

        @Test
        void anEpochNumberIsAFormatProblemToo() {
            assertThat(onlyProblem(atNoon, minimalWith("sendAt", 1796108400L)).rule()).isEqualTo("format");
            assertThat(onlyProblem(atNoon, minimalWith("sendAt", List.of())).rule()).isEqualTo("type");
        }

        @Test
        void thirtyDaysAheadIsTheLimit() {
            assertThat(at("2026-12-30T12:00:00Z").request().sendAt()).isEqualTo(Instant.parse("2026-12-30T12:00:00Z"));
            assertThat(at("2026-12-30T14:00:00+02:00").valid()).isTrue();
            assertThat(onlyProblem(atNoon, minimalWith("sendAt", "2026-12-30T12:00:01Z"))).isEqualTo(new Problem(
                    "sendAt", "too-far-ahead", "sendAt is more than 30 days ahead: it is 2026-12-30T12:00:01Z, the "
                            + "latest allowed now is 2026-12-30T12:00:00Z"));
        }

        @Test
        void theConstructorsWithoutAClockUseTheSystemClock() {
            String inTenDays = Instant.now().plus(java.time.Duration.ofDays(10)).toString();
            assertThat(validator.validate(minimalWith("sendAt", inTenDays)).valid()).isTrue();
            String inFortyDays = Instant.now().plus(java.time.Duration.ofDays(40)).toString();
            assertThat(validator.validate(minimalWith("sendAt", inFortyDays)).problems())
                    .extracting(Problem::rule).containsExactly("too-far-ahead");
        }

        @Test
        void aTemplateOnlyRequestMayBeScheduled() {
            ValidRequest r = atNoon.validate(json("{'to':'972501234567','whenClosed':'template',"
                    + "'template':{'name':'t'},'sendAt':'2026-12-01T09:00:00+02:00'}")).request();
            assertThat(r.templateOnly()).isTrue();
            assertThat(r.sendAt()).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
        }

        @Test
        void misspeltIsAnUnknownFieldNamingIt() {
            assertThat(onlyProblem(atNoon, minimalWith("send_at", "2026-12-01T07:00:00Z")).message())
                    .contains("did you mean 'sendAt'");
        }
    }

    /** replyTo is the provider's id of the quoted message: its form is checked. */
    @Nested
    class ReplyTo {

        @ParameterizedTest
        @ValueSource(strings = {"65dfd4r4dref34rdfxd34r", "0097F204A3C6A54D7DD50C", "x",
                "wamid.HBgMOTcyNTAxMjM0NTY3FQIAERgSQjVB+/NkU5QUY4RkJCQUJDRkQ1AA==", "msg:2026-11-30_1"})
        void providerAndWhatsAppIdsAreAccepted(String id) {
            assertThat(valid(minimalWith("replyTo", id)).replyTo()).isEqualTo(id);
        }

        @Test
        void surroundingSpacesGoAndBlankIsAbsent() {
            assertThat(valid(minimalWith("replyTo", " ABC ")).replyTo()).isEqualTo("ABC");
            assertThat(valid(minimalWith("replyTo", "  ")).replyTo()).isNull();
            assertThat(valid(minimalWith("replyTo", 12345)).replyTo()).isEqualTo("12345");
        }

        @ParameterizedTest
        @ValueSource(strings = {"two words", "<script>", "a,b", "id\nnext", "שלום", "https://x.example/?q=1&r=2"})
        void anythingElseIsRefusedNamingTheField(String id) {
            assertThat(onlyProblem(minimalWith("replyTo", id))).isEqualTo(new Problem("replyTo", "pattern",
                    "replyTo must be the provider's id of the message to quote (its 'unique'): 1 to 128 characters "
                            + "of A-Z a-z 0-9 . _ : - = + /"));
        }

        @Test
        void boundary128And129() {
            valid(minimalWith("replyTo", "r".repeat(128)));
            Problem p = onlyProblem(minimalWith("replyTo", "r".repeat(129)));
            assertThat(p.field()).isEqualTo("replyTo");
            assertThat(p.rule()).isEqualTo("max-length");
            assertThat(p.message()).endsWith("; it is 129 characters");
        }

        @Test
        void objectIsATypeProblem() {
            assertThat(onlyProblem(minimalWith("replyTo", java.util.Map.of("id", "x"))))
                    .isEqualTo(new Problem("replyTo", "type", "replyTo must be a string, not an object"));
        }

        @Test
        void theResultCanSayItWasDroppedWithATemplate() {
            assertThat(valid(minimalWith("replyTo", "65dfd4r4")).replyToWarning()).isEqualTo("replyTo is not sent "
                    + "with a template: the provider's Send Template has no quoted reply, so the message does not "
                    + "quote 65dfd4r4");
            assertThat(valid(minimal()).replyToWarning()).isNull();
        }
    }

    /** SPEC 3: whenClosed template with only to and template is sent as the template. */
    @Nested
    class TemplateOnly {

        private static final String TEMPLATE = "'template':{'name':'order_ready','bodyVariable1':'Dana'}";

        @Test
        void toAndTemplateWithWhenClosedTemplateIsValid() {
            ValidRequest r = valid(json("{'to':'0501234567','whenClosed':'template'," + TEMPLATE + "}"));
            assertThat(r.templateOnly()).isTrue();
            assertThat(r.to()).isEqualTo("972501234567");
            assertThat(r.from()).isEqualTo("972771234567");
            assertThat(r.whenClosed()).isEqualTo("template");
            assertThat(r.template()).isEqualTo(new ValidRequest.Template("order_ready", 1, null, List.of("Dana")));
            assertThat(r.body()).isNull();
            assertThat(r.buttons()).isEmpty();
            assertThat(r.header()).isEqualTo(1);
            assertThat(r.warnings()).isEmpty();
        }

        @Test
        void envelopeFieldsAndHeaderNoneMayComeToo() {
            ValidRequest r = valid(json("{'id':'t-1','from':'972771234568','to':'972501234567','header':1,"
                    + "'whenClosed':'Template','showRequest':1,'localStorage':0," + TEMPLATE + "}"));
            assertThat(r.templateOnly()).isTrue();
            assertThat(r.id()).isEqualTo("t-1");
        }

        @Test
        void blankColumnsOfALegacyRowAreAbsent() {
            ValidRequest r = valid(json("{'to':'972501234567','body':'','button1':' ','footer':'',"
                    + "'whenClosed':'template'," + TEMPLATE + "}"));
            assertThat(r.templateOnly()).isTrue();
        }

        @Test
        void withoutWhenClosedTemplateBodyAndButton1AreRequiredAsUsual() {
            Validation v = validate(json("{'to':'972501234567'," + TEMPLATE + "}"));
            assertThat(v.problems()).containsExactly(new Problem("body", "required", "body is required"),
                    new Problem("button1", "required", "button1 is required"));
            for (String policy : List.of("hold", "reject")) {
                Validation other = validate(json("{'to':'972501234567','whenClosed':'" + policy + "'," + TEMPLATE + "}"));
                assertThat(fields(other.problems())).containsExactly("body", "button1");
            }
        }

        @Test
        void templateIsThenRequired() {
            assertThat(onlyProblem(json("{'to':'972501234567','whenClosed':'template'}"))).isEqualTo(new Problem(
                    "template", "required", "template is required: a request with whenClosed template and no body "
                            + "or buttons is sent as its template only (otherwise body and button1 are required)"));
            Validation invalidTemplate = validate(json("{'to':'972501234567','whenClosed':'template',"
                    + "'template':{'headerType':3}}"));
            assertThat(fields(invalidTemplate.problems()))
                    .containsExactlyInAnyOrder("template.name", "template.headerLink");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'footer':'f'", "'button2':'No'", "'button1_id':'x'", "'header':2",
                "'headerURL':'https://e.example/a.png'", "'buttonExternal':'https://e.example'"})
        void anySendButtonsFieldMakesItAnOrdinaryRequest(String field) {
            Validation v = validate(json("{'to':'972501234567','whenClosed':'template'," + field + "," + TEMPLATE + "}"));
            assertThat(fields(v.problems())).contains("body", "button1");
        }

        @Test
        void anOrdinaryRequestWithWhenClosedTemplateIsNotTemplateOnly() {
            ObjectNode item = minimalWith("whenClosed", "template");
            item.set("template", json("{'name':'t'}"));
            assertThat(valid(item).templateOnly()).isFalse();
            assertThat(valid(minimal()).templateOnly()).isFalse();
        }
    }

    @Nested
    class Configuration {

        @Test
        void fromIsRequiredWithoutDefault() {
            RequestValidator noDefault = new RequestValidator("", null);
            Problem p = noDefault.validate(minimal()).problems().get(0);
            assertThat(p.field()).isEqualTo("from");
            assertThat(p.rule()).isEqualTo("required");
            assertThat(p.message()).contains("gateway.provider.from");
            ObjectNode item = minimalWith("from", "972771234567");
            assertThat(noDefault.validate(item).request().from()).isEqualTo("972771234567");
        }

        @Test
        void badConfigurationIsRefusedAtConstruction() {
            assertThatThrownBy(() -> new RequestValidator("12", "972"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.provider.from");
            assertThatThrownBy(() -> new RequestValidator("972771234567", "abc"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gateway.default-country-code");
            assertThat(new RequestValidator("+972 77-123-4567", "+972").validate(minimal()).request().from())
                    .isEqualTo("972771234567");
        }

        @Test
        void nationalDefaultFromUsesCountryCode() {
            assertThat(new RequestValidator("077-1234567", "972").validate(minimal()).request().from())
                    .isEqualTo("972771234567");
        }
    }

    @Test
    void noCountryCodeRefusesNationalNumbers() {
        Problem p = noCountryCode.validate(minimalWith("to", "050-1234567")).problems().get(0);
        assertThat(p.rule()).isEqualTo("national-number");
        assertThat(p.message()).contains("gateway.default-country-code");
    }
}
