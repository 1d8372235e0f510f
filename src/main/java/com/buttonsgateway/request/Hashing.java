package com.buttonsgateway.request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a text: derived message ids (SPEC 3), mail ids, hook keys, the sandbox's user ids. */
public final class Hashing {

    private Hashing() {
    }

    /** The SHA-256 digest of the text's UTF-8 bytes. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The first {@code digits} lowercase hex digits of the text's SHA-256 (at most 64). */
    public static String sha256Hex(String text, int digits) {
        return HexFormat.of().formatHex(sha256(text)).substring(0, digits);
    }
}
