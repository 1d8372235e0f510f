package com.buttonsgateway.sandbox;

import com.buttonsgateway.request.Hashing;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Pure format rules of the provider's fields, as its pages document them (provider/README.md, send-buttons.txt). */
final class ProviderFormats {

    /** An international number as the provider wants it: digits only, no {@code +}, 8 to 15 of them. */
    private static final Pattern INTERNATIONAL = Pattern.compile("[0-9]{8,15}");
    /** A provider user id, the webhook's {@code from_id}, e.g. {@code IL.1605856887361213}. */
    private static final Pattern USER_ID = Pattern.compile("[A-Z]{2}\\.[0-9]{6,20}");
    /** Group chats: {@code ...@g.us} or the old {@code <creator digits>-<10-digit timestamp>} form. */
    private static final Pattern GROUP = Pattern.compile("(?i).*@g\\.us|[0-9]+-[0-9]{10}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{6,22}[0-9]");

    private ProviderFormats() {
    }

    static boolean isInternationalNumber(String s) {
        return INTERNATIONAL.matcher(s).matches();
    }

    static boolean isUserId(String s) {
        return USER_ID.matcher(s).matches();
    }

    static boolean isGroup(String s) {
        return GROUP.matcher(s).matches();
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * Problems of a media link: an {@code https} URL with a host whose file extension, when the path has
     * one, fits the media kind. Empty when the link is fine.
     */
    static Optional<String> mediaLinkProblem(String field, String link, String kind, Set<String> extensions) {
        URI uri;
        try {
            uri = new URI(link.trim());
        } catch (URISyntaxException e) {
            return Optional.of(field + ": not a valid URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("https") || uri.getHost() == null) {
            return Optional.of(field + ": must be an https URL");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        if (dot >= 0 && dot < last.length() - 1) {
            String ext = last.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (!extensions.contains(ext)) {
                return Optional.of(field + ": a " + kind + " must be " + String.join("/", extensions.stream().sorted().toList())
                        + ", not ." + ext);
            }
        }
        return Optional.empty();
    }

    /** {@code buttonExternal}: a website URL, a phone number or an email address. */
    static boolean isExternalTarget(String s) {
        String v = s.trim();
        if (EMAIL.matcher(v).matches()) {
            return true;
        }
        if (PHONE.matcher(v).matches()) {
            long digits = v.chars().filter(Character::isDigit).count();
            return digits >= 8 && digits <= 15;
        }
        try {
            URI uri = new URI(v);
            return uri.getScheme() != null
                    && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Emoji (and their joiners/selectors): the provider allows none on an external button's label. */
    static boolean hasEmoji(String s) {
        return s.codePoints().anyMatch(cp -> (cp >= 0x1F000 && cp <= 0x1FAFF)
                || (cp >= 0x2600 && cp <= 0x27BF)
                || (cp >= 0x2B00 && cp <= 0x2BFF)
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || cp == 0xFE0F || cp == 0x200D || cp == 0x20E3);
    }

    /** The webhook's {@code from_id}: a stable id derived from the contact's number (no randomness). */
    static String userIdOf(String contact) {
        long v = ByteBuffer.wrap(Hashing.sha256("sandbox-contact:" + contact)).getLong() & Long.MAX_VALUE;
        return String.format(Locale.ROOT, "IL.1%015d", v % 1_000_000_000_000_000L);
    }

    /** The known field closest to an unknown one, when it is close enough to be a typo. */
    static Optional<String> closest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(unknown.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance || (d == bestDistance && best != null && k.compareTo(best) < 0)) {
                best = k;
                bestDistance = d;
            }
        }
        // Short names are too close to everything ('id' is one edit from 'to'): suggest only for real typos.
        boolean typo = unknown.length() >= 4 && bestDistance <= Math.max(1, unknown.length() / 4);
        return best != null && typo ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
