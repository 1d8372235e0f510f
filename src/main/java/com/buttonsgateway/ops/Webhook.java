package com.buttonsgateway.ops;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;

import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoreException;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;

/**
 * The provider's webhook (SPEC 6): check the secret path segment, store each delivery once, and move the window
 * before answering; releasing held messages and writing replies happen after the answer.
 */
public final class Webhook {

    private final ObjectMapper mapper;
    private final MessageStore store;
    private final ContactWindows windows;
    private final Clock clock;
    private final byte[] token;
    private final Set<String> allowedIps;
    private static final int MAX_BODY = 64 * 1024;

    /** A delivery as stored: {@code duplicate} when the same one came before; {@code reply} for a button click. */
    public record Received(String key, String hook, String type, String account, String contact, boolean duplicate, ObjectNode reply) {
        public boolean incoming() {
            return "new".equals(hook);
        }

        public boolean buttonClick() {
            return reply != null;
        }
    }

    /** Why a delivery is refused, as its HTTP status and a JSON body. */
    public record Refusal(int status, String json) {
    }

    public Webhook(ObjectMapper mapper, MessageStore store, ContactWindows windows, Clock clock, String token, String allowedIps) {
        this.mapper = mapper;
        this.store = store;
        this.windows = windows;
        this.clock = clock;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.allowedIps = allowedIps == null || allowedIps.isBlank() ? Set.of()
                : Arrays.stream(allowedIps.split(",")).map(String::trim).filter(ip -> !ip.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * Checks a delivery before anything is stored (SPEC 6): a wrong token is 404 (as if there were no such URL),
     * a source outside gateway.webhook.allowed-ips 403, a body over 64 KB 413, a body that is not JSON 400.
     * Returns null when the delivery may be received.
     */
    public Refusal refusal(Exchange exchange) {
        if (!authorised(exchange.getMessage().getHeader("token", String.class))) {
            return new Refusal(404, "{\"status\":\"FAIL\",\"message\":\"not found\"}");
        }
        if (!allowedIps.isEmpty()) {
            String source = remoteAddress(exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress"));
            if (source == null || !allowedIps.contains(source)) {
                return new Refusal(403, "{\"status\":\"FAIL\",\"message\":\"source address not allowed (gateway.webhook.allowed-ips)\"}");
            }
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > MAX_BODY) {
            return new Refusal(413, "{\"status\":\"FAIL\",\"message\":\"body larger than 64 KB\"}");
        }
        try {
            JsonNode json = mapper.readTree(body == null ? new byte[0] : body);
            if (json == null || !json.isObject()) {
                return new Refusal(400, "{\"status\":\"FAIL\",\"message\":\"body is not a JSON object\"}");
            }
        } catch (Exception e) {
            return new Refusal(400, "{\"status\":\"FAIL\",\"message\":\"body is not JSON\"}");
        }
        return null;
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

    /** Stores one delivery and applies its window update; throws {@link IllegalArgumentException} for a body that is not a JSON object. */
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
        String hook = text(json, "hook", "unknown");
        String unique = text(json, "unique", null);
        String type = text(json, "type", null);
        boolean incoming = "new".equals(hook);
        // an incoming message: from = the contact, to = the business account (provider/README.md)
        String contact = incoming ? text(json, "from", null) : text(json, "to", null);
        String account = incoming ? text(json, "to", null) : text(json, "from", null);
        String key = incoming && unique != null ? unique : hook + "-" + sha(json.toString());
        boolean fresh = store(json, key, hook, type, account, contact, incoming);
        if (fresh && !incoming && unique != null) {
            String status = deliveryStatus(json, hook);
            store.byProviderUnique(unique).ifPresent(m -> store.deliveryStatus(m.id(), status));
        }
        ObjectNode reply = null;
        if (incoming && "button".equals(type)) {
            reply = mapper.createObjectNode();
            reply.put("unique", unique);
            reply.put("contact", contact);
            reply.put("account", account);
            reply.put("text", text(json, "body", null));
            reply.put("buttonId", text(json, "buttonId", text(json, "button_id", null)));
            String quoted = text(json, "quoteUnique", null);
            reply.put("answers", quoted == null || "false".equals(quoted) ? null
                    : store.byProviderUnique(quoted).map(m -> m.id()).orElse(null));
            reply.put("receivedAt", Instant.ofEpochMilli(clock.millis()).toString());
        }
        return new Received(key, hook, type, account, contact, !fresh, reply);
    }

    /**
     * The delivery and its window update in one transaction (SPEC 6), committed before the answer. A redelivery of
     * the same key changes nothing. Two first messages of one contact racing to insert it: the loser retries once.
     */
    private boolean store(JsonNode json, String key, String hook, String type, String account, String contact, boolean incoming) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = store.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    if (!store.recordHook(c, key, hook, type, account, contact, json.toString())) {
                        c.rollback();
                        return false;
                    }
                    if (incoming && contact != null && account != null) {
                        windows.inbound(c, account, contact, text(json, "from_id", null), timestamp(json.get("timestamp")),
                                minutes(json.get("conversationTimeLeft")));
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

    /** The contact wrote: its held messages go back to the queue, oldest first. */
    public int release(Received received) {
        return received.incoming() && received.contact() != null ? store.releaseHeld(received.account(), received.contact()) : 0;
    }

    /**
     * The provider's pages do not document status hooks: take the first status-like field that is not the
     * envelope's "OK", else the hook's name.
     */
    private static String deliveryStatus(JsonNode json, String hook) {
        for (String field : new String[] {"deliveryStatus", "messageStatus", "ack", "state", "status"}) {
            String value = text(json, field, null);
            if (value != null && !value.isBlank() && !"OK".equalsIgnoreCase(value)) {
                return value;
            }
        }
        return hook;
    }

    private static String text(JsonNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? fallback : node.asText();
    }

    private static Instant timestamp(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(node.asText().trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long minutes(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String sha(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
