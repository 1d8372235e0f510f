package com.buttonsgateway.request;

import static com.buttonsgateway.request.TestJson.json;
import static com.buttonsgateway.request.TestJson.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 3, {@code to} and {@code from}. */
class PhoneNumberRulesTest {

    private final RequestValidator validator = new RequestValidator("972771234567", "972");

    private String to(Object value) {
        Validation v = validator.validate(minimalWith("to", value));
        assertThat(v.problems()).as("problems for %s", value).isEmpty();
        return v.request().to();
    }

    private Problem toProblem(Object value) {
        List<Problem> problems = validator.validate(minimalWith("to", value)).problems();
        assertThat(problems).as("problems for %s", value).hasSize(1);
        assertThat(problems.get(0).field()).isEqualTo("to");
        return problems.get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "972501234567        | 972501234567",
        "+972 50-123-4567    | 972501234567",
        "00972501234567      | 972501234567",
        "+1 (212) 555-1234   | 12125551234",
        "' 972 50 123 4567 ' | 972501234567",
        "0501234567          | 972501234567",
        "050-123-4567        | 972501234567",
    })
    void numbersAreNormalised(String given, String expected) {
        assertThat(to(given)).isEqualTo(expected);
    }

    @Test
    void eightAndFifteenDigitsAreAcceptedSevenAndSixteenAreNot() {
        assertThat(to("12345678")).isEqualTo("12345678");
        assertThat(to("123456789012345")).isEqualTo("123456789012345");
        assertThat(toProblem("1234567")).isEqualTo(new Problem("to", "pattern",
                "to has 7 digits; an international number has 8 to 15 (country code first, without + or 00)"));
        assertThat(toProblem("1234567890123456").message()).startsWith("to has 16 digits");
    }

    @Test
    void jsonNumbersAreReadAsDigits() {
        assertThat(to(json("972501234567"))).isEqualTo("972501234567");
        assertThat(to(json("123456789012345"))).isEqualTo("123456789012345");
        assertThat(toProblem(json("1234567890123456")).rule()).isEqualTo("pattern");
        assertThat(toProblem(json("972501234567.5")).rule()).isEqualTo("type");
        assertThat(toProblem(json("-972501234567")).rule()).isEqualTo("type");
    }

    @Test
    void providerUserIdIsKeptAsIs() {
        assertThat(to("IL.1605856887361213")).isEqualTo("IL.1605856887361213");
        assertThat(toProblem("il.1605856887361213").rule()).isEqualTo("pattern");
        assertThat(toProblem("ISR.16058").rule()).isEqualTo("pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"972501234567-1600000000", "120363041234567890@g.us", "972501234567-1600000000@G.US",
        "1-1234567890"})
    void groupChatsAreRefused(String group) {
        Problem p = toProblem(group);
        assertThat(p.rule()).isEqualTo("group-chat");
        assertThat(p.message()).contains("group");
    }

    @Test
    void nearGroupFormsAreNumbers() {
        // 9 digits after the dash is no timestamp; a leading + is a phone number, never a group id.
        assertThat(to("97250-123456789")).isEqualTo("97250123456789");
        assertThat(to("+1-2125551234")).isEqualTo("12125551234");
    }

    @Test
    void nationalNumberWithoutCountryCodeNamesTheKey() {
        RequestValidator none = new RequestValidator("972771234567", null);
        Problem p = none.validate(minimalWith("to", "0501234567")).problems().get(0);
        assertThat(p.rule()).isEqualTo("national-number");
        assertThat(p.message()).contains("gateway.default-country-code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+0501234567", "0000501234567"})
    void countryCodeStartingWithZeroIsRefused(String value) {
        assertThat(toProblem(value).rule()).isEqualTo("pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "972501234567@c.us", "9725O1234567", "+"})
    void otherTextIsRefused(String value) {
        Problem p = toProblem(value);
        assertThat(p.rule()).isEqualTo("pattern");
        assertThat(p.message()).contains("IL.1605856887361213");
    }

    @Test
    void toIsRequired() {
        ObjectNode item = minimalWith("to", "   ");
        assertThat(validator.validate(item).problems()).extracting(Problem::rule).containsExactly("empty");
        item.remove("to");
        assertThat(validator.validate(item).problems()).containsExactly(
                new Problem("to", "required", "to is required"));
    }

    @Test
    void fromFollowsTheSameRulesButIsNoUserId() {
        ObjectNode item = minimalWith("from", "03-7654321");
        assertThat(validator.validate(item).request().from()).isEqualTo("97237654321");
        item.set("from", json("972771234599"));
        assertThat(validator.validate(item).request().from()).isEqualTo("972771234599");
        item.put("from", "IL.1605856887361213");
        assertThat(validator.validate(item).problems()).extracting(Problem::field, Problem::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("from", "pattern"));
        item.put("from", "972501234567-1600000000");
        assertThat(validator.validate(item).problems()).extracting(Problem::rule).containsExactly("group-chat");
        item.put("from", "");
        assertThat(validator.validate(item).request().from()).isEqualTo("972771234567");
    }
}
