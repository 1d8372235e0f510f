package com.buttonsgateway.webhook;

import com.buttonsgateway.request.Hashing;

import com.buttonsgateway.request.LogText;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.StoreException;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's webhook (SPEC 6): check the secret path segment and the delivery's values, store each delivery once
 * (due for its hand-over to its route), move the window and set a status hook's delivery status, all before
 * answering, and so is a contact's STOP / START (SPEC 5); releasing held messages happens after the answer, the
 * hand-over from the store (HookHandover).
 */
public final class Webhook {

    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
    private static final int MAX_BODY = 64 * 1024;
    /** Widths of gw_hook's and gw_contact's columns (V1__store.sql): hook and type 32, account and contact 64. */
    static final int NAME_COLUMN = 32;
    static final int NUMBER_COLUMN = 64;
    /** An incoming message's unique names its reply file, {@code <replies>/<unique>.json}: a plain file name only. */
    static final Pattern UNIQUE = Pattern.compile("[A-Za-z0-9_@=+-][A-Za-z0-9._@=+-]{0,127}");

    private final ObjectMapper mapper;
    private final MessageStore store;
    private final Hooks hooks;
    private final ContactWindows windows;
    private final Clock clock;
    private final Runnable onStored;
    private final byte[] token;
    private final Set<String> allowedIps;
    private final OptOuts optOuts;
    private final OptOutKeywords keywords;

    /** A delivery as stored: {@code duplicate} when the same one came before. */
    public record Received(String key, String hook, String type, String account, String contact, boolean duplicate) {
        public boolean incoming() {
            return "new".equals(hook);
        }
    }

    /** Why a delivery is refused, as its HTTP status and a JSON body. */
    public record Refusal(int status, String json) {
    }

    /** A value of a delivery the gateway refuses: the field and what it must be. */
    public record Untrusted(String field, String message) {
    }

    /**
     * @param onStored told after a new delivery is committed, so its hand-over starts at once (HookHandover::wake)
     * @param optOuts  changed by an incoming text that is one of the {@code keywords} (SPEC 5), in the delivery's transaction
     */
    public Webhook(ObjectMapper mapper, MessageStore store, Hooks hooks, ContactWindows windows, Clock clock, Runnable onStored,
                   String token, String allowedIps, OptOuts optOuts, OptOutKeywords keywords) {
        this.optOuts = optOuts;
        this.keywords = keywords;
        this.mapper = mapper;
        this.store = store;
        this.hooks = hooks;
        this.windows = windows;
        this.clock = clock;
        this.onStored = onStored;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.allowedIps = allowedIps == null || allowedIps.isBlank() ? Set.of()
                : Arrays.stream(allowedIps.split(",")).map(String::trim).filter(ip -> !ip.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * Checks a delivery before anything is stored (SPEC 6), in this order: a wrong token is 404 (as if there were no
     * such URL, so nothing else is told), a source outside gateway.webhook.allowed-ips 403, a body over 64 KB 413, a
     * body that is not JSON 400, and a value the gateway cannot take ({@link #untrusted}) 400 naming the field. Returns
     * null when the delivery may be received.
     *
     * @param token  the path segment after {@code /webhook/} (header {@code token})
     * @param source the caller's address as platform-http gives it (header {@code CamelVertxPlatformHttpRemoteAddress}:
     *               a Vert.x {@code SocketAddress}, or its text {@code host:port}); null when unknown
     * @param body   the delivery's body
     */
    public Refusal refusal(String token, Object source, byte[] body) {
        if (!authorised(token)) {
            return new Refusal(404, "{\"status\":\"FAIL\",\"message\":\"not found\"}");
        }
        if (!allowedIps.isEmpty()) {
            String address = remoteAddress(source);
            if (address == null || !allowedIps.contains(address)) {
                return new Refusal(403, "{\"status\":\"FAIL\",\"message\":\"source address not allowed (gateway.webhook.allowed-ips)\"}");
            }
        }
        if (body != null && body.length > MAX_BODY) {
            return new Refusal(413, "{\"status\":\"FAIL\",\"message\":\"body larger than 64 KB\"}");
        }
        try {
            JsonNode json = mapper.readTree(body == null ? new byte[0] : body);
            if (json == null || !json.isObject()) {
                return new Refusal(400, "{\"status\":\"FAIL\",\"message\":\"body is not a JSON object\"}");
            }
            Untrusted untrusted = untrusted(json);
            if (untrusted != null) {
                LOG.warn("webhook delivery refused (400): {}", LogText.safe(untrusted.message()));
                ObjectNode answer = mapper.createObjectNode();
                answer.put("status", "FAIL");
                answer.put("field", untrusted.field());
                answer.put("message", untrusted.message());
                return new Refusal(400, answer.toString());
            }
        } catch (Exception e) {
            return new Refusal(400, "{\"status\":\"FAIL\",\"message\":\"body is not JSON\"}");
        }
        return null;
    }

    /**
     * The first value of a delivery that the gateway refuses (SPEC 6: values from a hook are untrusted), or null.
     * An incoming message's {@code unique} names its reply file, so it must be a plain file name that fits its column
     * (1-128 of A-Z a-z 0-9 . _ - @ = +, not starting with '.'); {@code hook} and {@code type} fit their columns (32)
     * and {@code from} and {@code to} theirs (64), none with control characters. Refused rather than cut: a cut name
     * or number would file the message under another one. Other values are only kept in the raw hook, or ignored when
     * unusable ({@code timestamp}, {@code conversationTimeLeft}, {@code from_id}).
     */
    public static Untrusted untrusted(JsonNode json) {
        String hook = text(json, "hook", null);
        Untrusted problem = fits(hook, "hook", NAME_COLUMN, "the kind of delivery, e.g. new");
        if (problem == null) {
            problem = fits(text(json, "type", null), "type", NAME_COLUMN, "the message's type, e.g. text");
        }
        if (problem == null) {
            problem = fits(text(json, "from", null), "from", NUMBER_COLUMN, "a phone number or the provider's id");
        }
        if (problem == null) {
            problem = fits(text(json, "to", null), "to", NUMBER_COLUMN, "a phone number or the provider's id");
        }
        String unique = text(json, "unique", null);
        if (problem == null && "new".equals(hook) && unique != null && !UNIQUE.matcher(unique).matches()) {
            problem = new Untrusted("unique", "unique: must be 1 to 128 of A-Z a-z 0-9 . _ - @ = + and not start with '.'"
                    + " (it names the reply file <unique>.json), not '" + shortened(unique) + "'");
        }
        return problem;
    }

    private static Untrusted fits(String value, String field, int max, String what) {
        if (value == null) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > max) {
            return new Untrusted(field, field + ": must be at most " + max + " characters (" + what + "), not "
                    + value.codePointCount(0, value.length()));
        }
        if (value.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029')) {
            return new Untrusted(field, field + ": must not contain control characters or line breaks");
        }
        return null;
    }

    /** A refused value, short enough to quote in an answer (the log line escapes it). */
    private static String shortened(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** A {"status":"FAIL","message":...} answer, JSON-escaped. */
    public String problem(String message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("status", "FAIL");
        node.put("message", message);
        return node.toString();
    }

    private static String remoteAddress(Object header) {
        if (header instanceof SocketAddress address) {
            return address.hostAddress();
        }
        if (header == null) {
            return null;
        }
        String text = header.toString();
        int colon = text.lastIndexOf(':');
        return colon > 0 && text.indexOf(':') == colon ? text.substring(0, colon) : text;
    }

    /** Constant-time comparison of the path segment with gateway.webhook.token. */
    public boolean authorised(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stores one delivery, due for its hand-over, and applies its window update or delivery status; throws
     * {@link IllegalArgumentException} for a body that is not a JSON object or has a value {@link #untrusted} refuses
     * (refusal answered both before this is called).
     */
    public Received receive(String body) {
        JsonNode json;
        try {
            json = mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw new IllegalArgumentException("the webhook body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the webhook body is not a JSON object");
        }
        Untrusted untrusted = untrusted(json);
        if (untrusted != null) {
            throw new IllegalArgumentException(untrusted.message());
        }
        String hook = text(json, "hook", "unknown");
        String unique = text(json, "unique", null);
        String type = text(json, "type", null);
        boolean incoming = "new".equals(hook);
        // an incoming message: from = the contact, to = the business account (provider/README.md)
        String contact = incoming ? text(json, "from", null) : text(json, "to", null);
        String account = incoming ? text(json, "to", null) : text(json, "from", null);
        String key = incoming && unique != null ? unique : hook + "-" + sha(json.toString());
        String status = incoming ? null : DeliveryStatus.of(json);
        String[] changed = new String[3];
        // SPEC 5: STOP / START (gateway.optout.keywords, gateway.optin.keywords) as the whole text of an incoming message
        OptOutKeywords.Change optOut = incoming && "text".equals(type) && contact != null && account != null
                ? keywords.of(text(json, "body", null)) : OptOutKeywords.Change.NONE;
        boolean[] optChanged = new boolean[1];
        boolean fresh = store(json, key, hook, type, account, contact, incoming, unique, status, changed, optOut, optChanged);
        if (fresh) {
            if (changed[0] != null) {
                LOG.info("id={} delivery status {}->{}", changed[0], changed[1], changed[2]);
            }
            if (optChanged[0]) {
                LOG.info("contact={} account={} {} by its message {}", LogText.safe(contact), LogText.safe(account),
                        optOut == OptOutKeywords.Change.OPT_OUT ? "opted out" : "opted back in", LogText.safe(key));
            }
            onStored.run();
        }
        return new Received(key, hook, type, account, contact, !fresh);
    }

    /**
     * The delivery, its window update and a status hook's delivery status in one transaction (SPEC 6), committed
     * before the answer. A redelivery of the same key changes nothing. Two first messages of one contact racing to
     * insert it: the loser retries once. {@code changed} gets the message id, old and new status when one was set.
     */
    private boolean store(JsonNode json, String key, String hook, String type, String account, String contact, boolean incoming,
                          String unique, String status, String[] changed, OptOutKeywords.Change optOut, boolean[] optChanged) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = store.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    if (!hooks.record(c, key, hook, type, account, contact, json.toString())) {
                        c.rollback();
                        return false;
                    }
                    if (incoming && contact != null && account != null) {
                        windows.inbound(c, account, contact, usableId(text(json, "from_id", null)), timestamp(json.get("timestamp")),
                                minutes(json.get("conversationTimeLeft")));
                    }
                    if (!incoming && unique != null && status != null) {
                        deliveryStatus(c, unique, status, changed);
                    }
                    // SPEC 5: in force when the webhook answers 200
                    if (optOut == OptOutKeywords.Change.OPT_OUT) {
                        optChanged[0] = optOuts.optOut(c, account, contact);
                    } else if (optOut == OptOutKeywords.Change.OPT_IN) {
                        optChanged[0] = optOuts.optIn(c, account, contact);
                    }
                    c.commit();
                    return true;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt >= 2) {
                        throw e;
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("could not store a webhook delivery", e);
            }
        }
    }

    /** A status hook naming a message the gateway sent: its deliveryStatus, unless that would go back (DeliveryStatus). */
    private void deliveryStatus(Connection c, String unique, String status, String[] changed) throws SQLException {
        for (int round = 0; round < 3; round++) {
            Optional<Hooks.Named> named = hooks.named(c, unique);
            if (named.isEmpty() || !DeliveryStatus.replaces(named.get().deliveryStatus(), status)) {
                return;
            }
            if (hooks.deliveryStatus(c, named.get().messageId(), named.get().deliveryStatus(), status)) {
                changed[0] = named.get().messageId();
                changed[1] = named.get().deliveryStatus();
                changed[2] = LogText.safe(status);
                return;
            }
        }
    }

    /** The contact wrote: its held messages go back to the queue, oldest first. */
    public int release(Received received) {
        return received.incoming() && received.contact() != null ? store.releaseHeld(received.account(), received.contact()) : 0;
    }

    private static String text(JsonNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? fallback : node.asText();
    }

    /** from_id is optional: one that does not fit gw_contact.from_id (64) or has control characters is not kept. */
    private static String usableId(String fromId) {
        return fromId == null || fits(fromId, "from_id", NUMBER_COLUMN, "") != null ? null : fromId;
    }

    /** Epoch seconds; anything else (not a number, before 2000, past 9999) is ignored and the time of arrival used. */
    private static Instant timestamp(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(node.asText().trim());
            return seconds < 946_684_800L || seconds > 253_402_300_799L ? null : Instant.ofEpochSecond(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Minutes left of the billing conversation; anything but 0 to 30 days' worth is ignored. */
    private static Long minutes(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        try {
            long minutes = Long.parseLong(node.asText().trim());
            return minutes < 0 || minutes > 43_200 ? null : minutes;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String sha(String text) {
        return Hashing.sha256Hex(text, 32);
    }
}
