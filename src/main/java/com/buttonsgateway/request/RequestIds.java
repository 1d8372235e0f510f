package com.buttonsgateway.request;

import java.util.Locale;

/**
 * Derived message ids (SPEC 3): {@code <source>-<index>-<hash>} for an item without {@code id}, so the
 * same source item handed in again is recognised as a duplicate.
 */
public final class RequestIds {

    static final int MAX_SOURCE = 80;
    private static final int HASH_DIGITS = 12;
    /** Used when a source has no name at all, so a derived id still starts with a word. */
    static final String UNNAMED = "source";

    private RequestIds() {
    }

    /**
     * @param sourceName a file's base name, a mail's Message-ID without {@code <>}, a row's primary key
     * @param index      the item's position in the whole source, from 0
     * @param itemText   the item's JSON text ({@link RequestDocument.Item#text()})
     */
    public static String derive(String sourceName, int index, String itemText) {
        return sanitize(sourceName) + "-" + index + "-" + hash(itemText);
    }

    /** Every character outside the id charset becomes {@code _}; at most 80 characters. */
    static String sanitize(String sourceName) {
        if (sourceName == null || sourceName.isEmpty()) {
            return UNNAMED;
        }
        StringBuilder out = new StringBuilder();
        // By code point, so a character outside the BMP (an emoji) becomes one '_', not two.
        sourceName.codePoints().limit(MAX_SOURCE).forEach(c -> out.append(allowed(c) ? (char) c : '_'));
        return out.toString();
    }

    /** A mail's Message-ID as a source name: without its surrounding {@code <>} (SPEC 3). */
    public static String sourceNameFromMessageId(String messageId) {
        if (messageId == null) {
            return null;
        }
        String id = messageId.strip();
        if (id.startsWith("<") && id.endsWith(">") && id.length() >= 2) {
            id = id.substring(1, id.length() - 1);
        }
        return id;
    }

    /**
     * A file's base name: the last path segment, without a trailing {@code .json} in any case
     * (SPEC 3, 4.1). Folders are dropped so a file in a sub-folder gets the same id wherever it lies.
     */
    public static String sourceNameFromFile(String fileName) {
        if (fileName == null) {
            return null;
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        if (name.toLowerCase(Locale.ROOT).endsWith(".json")) {
            name = name.substring(0, name.length() - ".json".length());
        }
        return name;
    }

    static String hash(String itemText) {
        return Hashing.sha256Hex(itemText, HASH_DIGITS);
    }

    private static boolean allowed(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }
}
