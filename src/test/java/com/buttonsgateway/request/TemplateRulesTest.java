package com.buttonsgateway.request;

import static com.buttonsgateway.request.TestJson.json;
import static com.buttonsgateway.request.TestJson.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 3, the {@code template} envelope field. */
class TemplateRulesTest {

    private final RequestValidator validator = new RequestValidator("972771234567", "972");

    private Validation withTemplate(String templateJson) {
        var item = minimal();
        item.set("template", json(templateJson));
        return validator.validate(item);
    }

    private ValidRequest.Template template(String templateJson) {
        Validation v = withTemplate(templateJson);
        assertThat(v.problems()).isEmpty();
        return v.request().template();
    }

    private Problem problem(String templateJson) {
        Validation v = withTemplate(templateJson);
        assertThat(v.problems()).hasSize(1);
        return v.problems().get(0);
    }

    @Test
    void nameOnlyDefaultsToNoHeader() {
        assertThat(template("{'name':'welcome_2'}"))
                .isEqualTo(new ValidRequest.Template("welcome_2", 1, null, List.of()));
    }

    @Test
    void nameRequiredAndRestricted() {
        assertThat(problem("{}")).isEqualTo(new Problem("template.name", "required", "template.name is required"));
        assertThat(problem("{'name':'order-update'}").rule()).isEqualTo("pattern");
        assertThat(problem("{'name':'ברוך_הבא'}").rule()).isEqualTo("pattern");
    }

    @Test
    void notAnObject() {
        Problem p = problem("'welcome'");
        assertThat(p.field()).isEqualTo("template");
        assertThat(p.rule()).isEqualTo("type");
    }

    @Test
    void headerType2IsASendButtonsNumber() {
        Problem p = problem("{'name':'t','headerType':2}");
        assertThat(p.field()).isEqualTo("template.headerType");
        assertThat(p.message()).contains("Send Buttons");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 6})
    void headerTypeOutOfRange(int type) {
        assertThat(problem("{'name':'t','headerType':" + type + "}").rule()).isEqualTo("enum");
    }

    @Test
    void headerLinkRequiredHttpsFor345() {
        assertThat(template("{'name':'t','headerType':'3','headerLink':'https://x.example/a.png'}").headerLink())
                .isEqualTo("https://x.example/a.png");
        assertThat(template("{'name':'t','headerType':4,'headerLink':'https://x.example/v.mp4'}").headerType())
                .isEqualTo(4);
        assertThat(problem("{'name':'t','headerType':5}"))
                .isEqualTo(new Problem("template.headerLink", "required",
                        "template.headerLink is required when template.headerType is 5 (document)"));
        assertThat(problem("{'name':'t','headerType':3,'headerLink':'http://x.example/a.png'}").rule())
                .isEqualTo("https");
        assertThat(problem("{'name':'t','headerType':5,'headerLink':'https://x.example/a.png'}").rule())
                .isEqualTo("file-type");
    }

    @Test
    void headerLinkRefusedForHeaderType1() {
        Problem p = problem("{'name':'t','headerLink':'https://x.example/a.png'}");
        assertThat(p.field()).isEqualTo("template.headerLink");
        assertThat(p.rule()).isEqualTo("not-allowed");
    }

    @Test
    void tenBodyVariablesInOrder() {
        StringBuilder t = new StringBuilder("{'name':'t'");
        for (int i = 1; i <= 10; i++) {
            t.append(",'bodyVariable").append(i).append("':'v").append(i).append("'");
        }
        assertThat(template(t + "}").bodyVariables()).hasSize(10).startsWith("v1").endsWith("v10");
        Problem p = problem(t + ",'bodyVariable11':'x'}");
        assertThat(p.field()).isEqualTo("template.bodyVariable11");
        assertThat(p.rule()).isEqualTo("unknown-field");
        assertThat(p.message()).contains("bodyVariable1..bodyVariable10");
    }

    @Test
    void bodyVariableGapsAndTypes() {
        Problem gap = problem("{'name':'t','bodyVariable1':'a','bodyVariable3':'c'}");
        assertThat(gap).isEqualTo(new Problem("template.bodyVariable3", "gap",
                "template.bodyVariable3 is given without template.bodyVariable2; "
                        + "body variables are numbered from 1 without gaps"));
        assertThat(problem("{'name':'t','bodyVariable1':{'a':1}}").rule()).isEqualTo("type");
        assertThat(problem("{'name':'t','bodyVariable1':''}").rule()).isEqualTo("empty");
        assertThat(template("{'name':'t','bodyVariable1':7,'bodyVariable2':null}").bodyVariables())
                .containsExactly("7");
    }

    @Test
    void unknownFieldsInsideTemplateArePrefixed() {
        Problem p = problem("{'name':'t','headerLnk':'https://x.example/a.png'}");
        assertThat(p).isEqualTo(new Problem("template.headerLnk", "unknown-field",
                "unknown field 'template.headerLnk' (did you mean 'template.headerLink'?)"));
        Problem key = problem("{'name':'t','apiKey':'SECRET'}");
        assertThat(key.field()).isEqualTo("template.apiKey");
        assertThat(key.rule()).isEqualTo("not-allowed");
        assertThat(key.message()).doesNotContain("SECRET");
    }

    @Test
    void templateAndRequestProblemsAreReportedTogether() {
        var item = minimal();
        item.put("footer", "f".repeat(61));
        item.set("template", json("{'headerType':2}"));
        assertThat(validator.validate(item).problems()).extracting(Problem::field)
                .containsExactly("footer", "template.name", "template.headerType");
    }

    @Test
    void bodyVariablesTogetherLongerThanTheProviderAllowsAreRefusedBeforeSending() {
        String half = "v".repeat(512);
        assertThat(template("{'name':'t','bodyVariable1':'" + half + "','bodyVariable2':'" + half + "'}").bodyVariables()).hasSize(2);
        Problem p = problem("{'name':'t','bodyVariable1':'" + half + "','bodyVariable2':'" + half + "','bodyVariable3':'x'}");
        assertThat(p.field()).isEqualTo("template");
        assertThat(p.rule()).isEqualTo("max-total-length");
        assertThat(p.message()).contains("template.bodyVariable1..bodyVariable3").contains("1025 characters together")
                .contains("at most 1024");
    }
}
