package com.buttonsgateway.request;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The number rules of SPEC 3 for {@code to}, {@code from} and a phone {@code buttonExternal}:
 * separators and a leading {@code +}/{@code 00} removed, a national number (leading single 0) made
 * international with {@code gateway.default-country-code}, then 8 to 15 digits.
 */
final class PhoneNumbers {

    /** A number, or why the text is not one (rule and message). */
    record Outcome(String number, String rule, String message) {
        boolean ok() {
            return number != null;
        }
    }

    /** The provider's per-contact id, e.g. IL.1605856887361213 (provider README, webhook from_id). */
    private static final Pattern USER_ID = Pattern.compile("[A-Z]{2}\\.[0-9]+");
    /** A group id: creator's number, '-', a 10-digit creation timestamp. */
    private static final Pattern GROUP_ID = Pattern.compile("[0-9]+-[0-9]{10}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\u00A0()\\-]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final String countryCode;

    /** @param defaultCountryCode e.g. {@code 972} or {@code +972}; null or empty turns conversion off */
    PhoneNumbers(String defaultCountryCode) {
        this.countryCode = countryCode(defaultCountryCode);
    }

    /**
     * @param field       the field name used in messages
     * @param text        the value, non-blank
     * @param contact     true for {@code to}: provider user ids are accepted, group chats named as such
     */
    Outcome normalise(String field, String text, boolean contact) {
        String value = text.strip();
        if (contact && USER_ID.matcher(value).matches()) {
            return new Outcome(value, null, null);
        }
        if (value.toLowerCase(Locale.ROOT).endsWith("@g.us") || GROUP_ID.matcher(value).matches()) {
            return refused("group-chat", field + " is a group chat; the provider sends only to private people");
        }
        String digits = SEPARATORS.matcher(value).replaceAll("");
        boolean prefixed = digits.startsWith("+") || digits.startsWith("00");
        if (prefixed) {
            digits = digits.substring(digits.startsWith("+") ? 1 : 2);
        }
        if (!DIGITS.matcher(digits).matches()) {
            return refused("pattern", field + " must be an international phone number (8 to 15 digits, "
                    + "e.g. 972501234567)" + (contact ? " or a provider user id such as IL.1605856887361213" : ""));
        }
        if (digits.startsWith("0")) {
            if (prefixed) {
                return refused("pattern", field + " has a country code starting with 0; no country code does");
            }
            if (countryCode == null) {
                return refused("national-number", field + " is a national number (it starts with 0); give it "
                        + "with its country code, or set gateway.default-country-code");
            }
            digits = countryCode + digits.substring(1);
        }
        if (digits.length() < 8 || digits.length() > 15) {
            return refused("pattern", field + " has " + digits.length() + " digits; an international number has "
                    + "8 to 15 (country code first, without + or 00)");
        }
        return new Outcome(digits, null, null);
    }

    private static Outcome refused(String rule, String message) {
        return new Outcome(null, rule, message);
    }

    private static String countryCode(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        String code = configured.strip();
        code = code.startsWith("+") ? code.substring(1) : code.startsWith("00") ? code.substring(2) : code;
        if (!code.matches("[1-9][0-9]{0,2}")) {
            throw new IllegalArgumentException(
                    "gateway.default-country-code must be 1 to 3 digits (e.g. 972), or empty");
        }
        return code;
    }
}
