package com.buttonsgateway.request;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code buttonExternal}: a website (http/https URL), a phone number or an email address (provider's
 * Send Buttons page, SPEC 3). A phone number is normalised like {@code to}, so the provider gets the
 * digits-only international form it uses everywhere; URLs and addresses go as given.
 */
final class ExternalButton {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final String WHAT = "buttonExternal must be a website URL (http:// or https://), "
            + "a phone number or an email address";

    private final PhoneNumbers phones;

    ExternalButton(PhoneNumbers phones) {
        this.phones = phones;
    }

    /** The value to send, or null after recording a problem. */
    String read(FieldReader in, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            if (hasHost(value)) {
                return value;
            }
            in.problem("buttonExternal", "pattern", WHAT + "; this URL is not valid");
            return null;
        }
        if (value.contains("@")) {
            if (EMAIL.matcher(value).matches()) {
                return value;
            }
            in.problem("buttonExternal", "pattern", WHAT + "; this email address is not valid");
            return null;
        }
        PhoneNumbers.Outcome phone = phones.normalise("buttonExternal", value, false);
        if (phone.ok()) {
            return phone.number();
        }
        if (phone.rule().equals("national-number")) {
            in.problem("buttonExternal", phone.rule(), phone.message());
        } else {
            in.problem("buttonExternal", "pattern", WHAT + " (a phone number has 8 to 15 digits)");
        }
        return null;
    }

    private static boolean hasHost(String value) {
        try {
            return new URI(value).getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
