package com.buttonsgateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the fields of one JSON object as text or small integers, recording a problem for a value of
 * the wrong JSON type. A JSON null counts as absent (SPEC 3). Numbers are accepted wherever text is
 * expected, read as their digits, because intakes such as the database poller (SPEC 4.3) produce
 * numbers for numeric columns.
 */
final class FieldReader {

    private final JsonNode object;
    private final String prefix;
    private final List<Problem> problems;
    private final Set<String> failed = new HashSet<>();

    FieldReader(JsonNode object, String prefix, List<Problem> problems) {
        this.object = object;
        this.prefix = prefix;
        this.problems = problems;
    }

    /** The field's name as reported, e.g. {@code template.name}. */
    String field(String name) {
        return prefix + name;
    }

    boolean present(String name) {
        JsonNode value = object.get(name);
        return value != null && !value.isNull();
    }

    /** True when a problem was already reported for this field, so no second one is added. */
    boolean failed(String name) {
        return failed.contains(name);
    }

    void problem(String name, String rule, String message) {
        failed.add(name);
        problems.add(new Problem(field(name), rule, message));
    }

    /** The value as text, or null when absent or of the wrong type (then a problem is recorded). */
    String text(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber() && finite(value)) {
            return numberText(value);
        }
        problem(name, "type", field(name) + " must be a string, not " + describe(value));
        return null;
    }

    /** Like {@link #text} but a blank string is also absent: optional columns are often ''. */
    String optionalText(String name) {
        String text = text(name);
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** A required, non-blank text; records "required" or "empty" and returns null when missing. */
    String requiredText(String name) {
        String text = text(name);
        if (text == null) {
            if (!failed(name)) {
                problem(name, "required", field(name) + " is required");
            }
            return null;
        }
        if (text.isBlank()) {
            problem(name, "empty", field(name) + " must not be blank");
            return null;
        }
        return text;
    }

    /**
     * A whole number from {@code allowed}, given as a JSON number or a numeric string; absent or blank
     * gives {@code fallback}. {@code choices} words the allowed values for the message.
     */
    Integer choice(String name, Set<Integer> allowed, String choices, Integer fallback) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank())) {
            return fallback;
        }
        if (!value.isNumber() && !value.isTextual()) {
            problem(name, "type", field(name) + " must be a number (" + choices + "), not " + describe(value));
            return null;
        }
        BigDecimal given = value.isNumber() ? (finite(value) ? value.decimalValue() : null) : parse(value.textValue());
        Integer number = wholeNumber(given);
        if (number == null || !allowed.contains(number)) {
            problem(name, "enum", field(name) + " must be " + choices);
            return null;
        }
        return number;
    }

    /** 0 or 1; also true/false (JSON booleans or strings), sent to the provider as 1/0 (SPEC 3). */
    Integer flag(String name) {
        JsonNode value = object.get(name);
        if (value != null && value.isBoolean()) {
            return value.booleanValue() ? 1 : 0;
        }
        if (value != null && value.isTextual()) {
            String word = value.textValue().strip().toLowerCase(Locale.ROOT);
            if (word.equals("true") || word.equals("false")) {
                return word.equals("true") ? 1 : 0;
            }
        }
        return choice(name, Set.of(0, 1), "0 or 1 (true/false are accepted too)", null);
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case BINARY -> "binary data";
            default -> "null";
        };
    }

    static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    /** A number too large for a double (1e400) is parsed as infinity, which has no digits. */
    private static boolean finite(JsonNode value) {
        return !value.isFloatingPointNumber() || value.isBigDecimal() || Double.isFinite(value.doubleValue());
    }

    private static String numberText(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        return value.decimalValue().stripTrailingZeros().toPlainString();
    }

    private static BigDecimal parse(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer wholeNumber(BigDecimal number) {
        if (number == null) {
            return null;
        }
        try {
            return number.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
