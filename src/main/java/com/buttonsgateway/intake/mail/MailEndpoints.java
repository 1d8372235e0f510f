package com.buttonsgateway.intake.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Camel mail consumer URI the intake-mail route reads (SPEC 4.2), made from {@code gateway.mail.uri}: the
 * user's options are kept, a poll interval of 10 s is added when {@code delay} is not given, and the options that make
 * "acknowledged only after the items are stored" true are forced: {@code peek=true} (IMAP: reading a mail does not
 * flag it seen; Camel flags it once the route succeeded), {@code delete=true} for POP3 (it has no flags: a processed
 * mail is deleted), {@code mapMailMessage=false} (the route gets the raw mail and reads its parts itself).
 * No error message repeats the URI: it holds the mail password.
 */
public final class MailEndpoints {

    static final String KEY = "gateway.mail.uri";
    static final String DEFAULT_DELAY = "10000";
    private static final Set<String> SCHEMES = Set.of("imap", "imaps", "pop3", "pop3s");
    private static final Set<String> FORCED = Set.of("peek", "mapmailmessage");

    private MailEndpoints() {
    }

    public static String consumerUri(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("configuration key " + KEY + " must be set when gateway.mail.enabled=true"
                    + " (for example imaps://imap.example.com?username=orders&password=...)");
        }
        String trimmed = uri.strip();
        int colon = trimmed.indexOf(':');
        String scheme = colon < 0 ? "" : trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("configuration key " + KEY + " must start with imap:, imaps:, pop3: or pop3s:"
                    + " (it starts with '" + (colon < 0 ? "" : scheme) + "')");
        }
        int question = trimmed.indexOf('?');
        String base = question < 0 ? trimmed : trimmed.substring(0, question);
        List<String> options = question < 0 ? List.of() : options(trimmed.substring(question + 1));
        boolean pop3 = scheme.startsWith("pop3");
        List<String> kept = new ArrayList<>();
        boolean delay = false;
        for (String option : options) {
            String name = name(option);
            if (FORCED.contains(name) || (pop3 && name.equals("delete"))) {
                continue;
            }
            delay |= name.equals("delay");
            kept.add(option);
        }
        if (!delay) {
            kept.add("delay=" + DEFAULT_DELAY);
        }
        kept.add("peek=true");
        kept.add("mapMailMessage=false");
        if (pop3) {
            kept.add("delete=true");
        }
        return base + "?" + String.join("&", kept);
    }

    /** Protocol, host and port of a mail URI, for a log line: never its user, password or options. */
    public static String server(String uri) {
        String s = uri.strip();
        int scheme = s.indexOf("://");
        String rest = scheme < 0 ? s : s.substring(scheme + 3);
        int end = rest.length();
        for (char c : new char[] {'?', '/'}) {
            int at = rest.indexOf(c);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        String authority = rest.substring(0, end);
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        return (scheme < 0 ? "" : s.substring(0, scheme + 3)) + host;
    }

    private static String name(String option) {
        int eq = option.indexOf('=');
        return (eq < 0 ? option : option.substring(0, eq)).toLowerCase(Locale.ROOT);
    }

    /** Splits a query into options; a {@code RAW(...)} or {@code RAW{...}} value may contain {@code &}. */
    static List<String> options(String query) {
        List<String> options = new ArrayList<>();
        int i = 0;
        while (i < query.length()) {
            int eq = query.indexOf('=', i);
            int amp = query.indexOf('&', i);
            int end;
            if (eq >= 0 && (amp < 0 || eq < amp) && (query.startsWith("RAW(", eq + 1) || query.startsWith("RAW{", eq + 1))) {
                char close = query.charAt(eq + 4) == '(' ? ')' : '}';
                int closing = query.indexOf(close + "&", eq + 5);
                end = closing < 0 ? query.length() : closing + 1;
            } else {
                end = amp < 0 ? query.length() : amp;
            }
            String option = query.substring(i, end);
            if (!option.isEmpty()) {
                options.add(option);
            }
            i = end + 1;
        }
        return options;
    }
}
