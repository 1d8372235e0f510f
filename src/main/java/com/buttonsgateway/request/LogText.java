package com.buttonsgateway.request;

/**
 * Untrusted text made safe for one log line (SPEC 9): a field name from a request, a mail's Message-ID or sender, an
 * attachment or file name, a value from a webhook. Line breaks and every other control character are written as escapes
 * ({@code \n}, {@code \r}, {@code \t}, {@code \u0085}...), so such text can never start a forged log line.
 */
public final class LogText {

    private LogText() {
    }

    /** The text with CR, LF, other control characters and the Unicode line and paragraph separators escaped; "null" for null. */
    public static String safe(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
        };
    }
}
