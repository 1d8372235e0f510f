package com.buttonsgateway.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.buttonsgateway.provider.ProviderReasons;

/**
 * The group of a dead message's reason, as the console lists dead letters (SPEC 10): the cause without the
 * details that differ from message to message. "gave up after 6 attempts: reason 6: ..." and "reason 6: ... (text)"
 * are both "reason 6: WhatsApp error - try again"; "HTTP 500: {body}" is "HTTP 500"; "timeout (...)" is "timeout".
 */
public final class DeadLetterGroups {

    private static final Pattern GAVE_UP = Pattern.compile("^gave up after \\d+ attempts?: ");
    private static final Pattern REASON = Pattern.compile("^reason (\\d+)\\b");
    private static final Pattern HTTP = Pattern.compile("^HTTP (\\d{3})\\b");
    private static final Pattern CALL_FAILED = Pattern.compile("^(timeout|connection refused|network error)\\b");
    private static final int LONGEST = 120;

    private DeadLetterGroups() {
    }

    public static String group(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason given";
        }
        String cause = GAVE_UP.matcher(reason.strip()).replaceFirst("");
        Matcher m = REASON.matcher(cause);
        if (m.find()) {
            return ProviderReasons.describe(Integer.parseInt(m.group(1)));
        }
        m = HTTP.matcher(cause);
        if (m.find()) {
            return "HTTP " + m.group(1);
        }
        m = CALL_FAILED.matcher(cause);
        if (m.find()) {
            return m.group(1);
        }
        return cause.length() > LONGEST ? cause.substring(0, LONGEST) + "..." : cause;
    }
}
