package com.buttonsgateway.webhook;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A status hook's delivery status (SPEC 6). The provider's pages do not document status hooks; the raw hook
 * is always kept, and the value is read from the first status-like field that is not the envelope's {@code "OK"}
 * ({@code ack}, {@code deliveryStatus}, {@code messageStatus}, {@code state}, {@code status}), else the hook's name.
 * Known values are mapped to one word: WhatsApp's numeric acks (-1 failed, 0 pending, 1 sent, 2 delivered, 3 read,
 * 4 played) and the usual words for them; any other value is kept as it came (cut to the column, 64 characters).
 */
public final class DeliveryStatus {

    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String DELIVERED = "delivered";
    public static final String READ = "read";
    public static final String PLAYED = "played";
    public static final String FAILED = "failed";

    /** delivery_status is VARCHAR(64) (V1__store.sql). */
    static final int COLUMN = 64;

    private static final String[] FIELDS = {"ack", "deliveryStatus", "messageStatus", "state", "status"};

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("-1", FAILED), Map.entry("0", PENDING), Map.entry("1", SENT), Map.entry("2", DELIVERED),
            Map.entry("3", READ), Map.entry("4", PLAYED),
            Map.entry("pending", PENDING), Map.entry("queued", PENDING), Map.entry("clock", PENDING),
            Map.entry("sent", SENT), Map.entry("server", SENT), Map.entry("server_ack", SENT),
            Map.entry("delivered", DELIVERED), Map.entry("device", DELIVERED), Map.entry("delivery_ack", DELIVERED),
            Map.entry("received", DELIVERED),
            Map.entry("read", READ), Map.entry("seen", READ), Map.entry("viewed", READ), Map.entry("read_ack", READ),
            Map.entry("played", PLAYED),
            Map.entry("failed", FAILED), Map.entry("error", FAILED), Map.entry("undelivered", FAILED),
            Map.entry("rejected", FAILED));

    /** Later steps of one message's life; a status never goes back to an earlier one (hooks may come out of order). */
    private static final Map<String, Integer> RANK = Map.of(PENDING, 0, SENT, 1, DELIVERED, 2, READ, 3, PLAYED, 4);

    private DeliveryStatus() {
    }

    /** The value as the hook gave it (status field, or the hook's name), or null when there is none. */
    public static String raw(JsonNode hook) {
        for (String field : FIELDS) {
            JsonNode node = hook.get(field);
            if (node != null && node.isValueNode() && !node.isNull()) {
                String value = node.asText().trim();
                if (!value.isEmpty() && !"OK".equalsIgnoreCase(value)) {
                    return value;
                }
            }
        }
        JsonNode name = hook.get("hook");
        return name != null && name.isValueNode() && !name.isNull() && !name.asText().isBlank() ? name.asText().trim() : null;
    }

    /** The delivery status a hook reports: a known value as its word, any other as it came (cut to 64 characters). */
    public static String of(JsonNode hook) {
        return map(raw(hook));
    }

    /** {@code 3} and {@code "READ"} are {@code read}; an unknown value is kept as it is, cut to the column. */
    public static String map(String raw) {
        if (raw == null) {
            return null;
        }
        String known = WORDS.get(raw.trim().toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        return raw.codePointCount(0, raw.length()) <= COLUMN ? raw : raw.substring(0, raw.offsetByCodePoints(0, COLUMN));
    }

    public static boolean known(String status) {
        return status != null && (RANK.containsKey(status) || FAILED.equals(status));
    }

    /**
     * Whether {@code next} replaces {@code current} on the message: a known status never goes back (delivered after
     * read is a late hook); failed replaces anything but read and played; an unknown value is recorded only while
     * the message has no known status (it is in the raw hook and passed to on-status either way).
     */
    public static boolean replaces(String current, String next) {
        if (next == null || next.equals(current)) {
            return false;
        }
        if (current == null || !known(current)) {
            return true;
        }
        if (!known(next)) {
            return false;
        }
        if (FAILED.equals(next)) {
            return !READ.equals(current) && !PLAYED.equals(current);
        }
        return FAILED.equals(current) || RANK.get(next) > RANK.get(current);
    }

    /** A status after which nothing more is expected for a sent text (the legacy row's record can go). */
    public static boolean last(String status) {
        return READ.equals(status) || PLAYED.equals(status) || FAILED.equals(status);
    }
}
