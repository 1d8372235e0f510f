package com.buttonsgateway.webhook;

import com.buttonsgateway.request.LogText;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.buttonsgateway.dispatch.Backoff;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each stored webhook delivery to its route from the store (SPEC 6), driven by the hook-handover route: a
 * button click to {@code direct:on-button-reply}, any other incoming message to {@code direct:on-message}, every
 * other hook (a status) to {@code direct:on-status}. A try that fails (the user's route throws, is missing, or the
 * process dies in the middle) is tried again with backoff ({@code gateway.retry.initial-delay-ms} doubling to
 * {@code gateway.retry.max-delay-ms}), with no limit: at least once, as the provider's own redelivery is not to be
 * counted on. Each failure is a WARN naming the delivery and the error; the API shows what waits.
 */
public final class HookHandover {

    private static final Logger LOG = LoggerFactory.getLogger(HookHandover.class);

    public static final String ON_BUTTON_REPLY = "on-button-reply";
    public static final String ON_MESSAGE = "on-message";
    public static final String ON_STATUS = "on-status";

    /**
     * One try: the route it goes to, the body for that route (JSON text), and the headers the routes read:
     * {@code fileName} ({@code GatewayReplyUnique}, the delivery's key: a plain file name, SPEC 6), the message type, and
     * for a status the gateway's message id and the delivery status (both safe for a log line).
     */
    public record Handover(String key, int attempt, String route, String fileName, String type, String body, String messageId,
                           String deliveryStatus) {
    }

    private final Hooks hooks;
    private final MessageStore store;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final Clock clock;
    private final long leaseMillis;
    private final long idleMillis;
    private final Semaphore wakes = new Semaphore(0);

    /**
     * @param leaseMillis how long a try may take before the delivery is due again (gateway.dispatch.lease-seconds)
     * @param idleMillis  how long {@link #next} waits for a new delivery when none is due
     */
    public HookHandover(Hooks hooks, MessageStore store, ObjectMapper mapper, Backoff backoff, Clock clock, long leaseMillis,
                        long idleMillis) {
        this.hooks = hooks;
        this.store = store;
        this.mapper = mapper;
        this.backoff = backoff;
        this.clock = clock;
        this.leaseMillis = leaseMillis;
        this.idleMillis = idleMillis;
    }

    /** A new delivery is stored: the waiting {@link #next} looks at once. */
    public void wake() {
        if (wakes.availablePermits() == 0) {
            wakes.release();
        }
    }

    /** Claims the next due delivery, waiting up to the idle time for one; null when none is due. */
    public Handover next() throws InterruptedException {
        wakes.drainPermits();
        var claimed = hooks.claimNext(leaseMillis);
        if (claimed.isEmpty() && wakes.tryAcquire(idleMillis, TimeUnit.MILLISECONDS)) {
            claimed = hooks.claimNext(leaseMillis);
        }
        return claimed.map(this::handover).orElse(null);
    }

    /** The route took it: nothing more is owed. */
    public void handedOver(Handover h) {
        if (!hooks.handedOver(h.key(), h.attempt())) {
            LOG.warn("hook={} was handed to {} after its lease ran out; another try may hand it over again (at least once)",
                    LogText.safe(h.key()), h.route());
        } else if (h.attempt() > 1) {
            LOG.info("hook={} handed over to {} at try {}", LogText.safe(h.key()), h.route(), h.attempt());
        }
    }

    /** The try failed: the next one is due after the backoff; a WARN names the delivery and the error. */
    public void failed(Handover h, Throwable error) {
        long delay = backoff.delayAfter(h.attempt());
        String why = describe(error);
        hooks.failed(h.key(), h.attempt(), clock.millis() + delay, why);
        LOG.warn("hook={} hand-over to {} failed at try {}, tried again in {} ms: {}", LogText.safe(h.key()), h.route(), h.attempt(),
                delay, LogText.safe(why));
    }

    private Handover handover(Hooks.Claimed h) {
        JsonNode hook = parse(h.payload());
        String receivedAt = Instant.ofEpochMilli(h.receivedAt()).toString();
        if ("new".equals(h.hook())) {
            String unique = text(hook, "unique");
            ObjectNode doc = mapper.createObjectNode();
            doc.put("unique", unique);
            doc.put("contact", text(hook, "from"));
            doc.put("account", text(hook, "to"));
            boolean click = "button".equals(h.type());
            if (!click) {
                doc.put("type", h.type());
            }
            doc.put("text", text(hook, "body"));
            if (click) {
                String buttonId = text(hook, "buttonId");
                doc.put("buttonId", buttonId != null ? buttonId : text(hook, "button_id"));
            }
            String quoted = text(hook, "quoteUnique");
            doc.put("answers", quoted == null || "false".equals(quoted) ? null
                    : store.byProviderUnique(quoted).map(StoredMessage::id).orElse(null));
            doc.put("receivedAt", receivedAt);
            if (!click) {
                // media, location, contacts...: every field the provider sent
                doc.set("hook", hook);
            }
            return new Handover(h.key(), h.attempt(), click ? ON_BUTTON_REPLY : ON_MESSAGE, h.key(), h.type(), doc.toPrettyString(),
                    null, null);
        }
        String unique = text(hook, "unique");
        String status = DeliveryStatus.of(hook);
        String messageId = unique == null ? null : store.byProviderUnique(unique).map(StoredMessage::id).orElse(null);
        ObjectNode doc = mapper.createObjectNode();
        doc.put("unique", unique);
        doc.put("messageId", messageId);
        doc.put("deliveryStatus", status);
        doc.put("raw", DeliveryStatus.raw(hook));
        doc.put("receivedAt", receivedAt);
        doc.set("hook", hook);
        return new Handover(h.key(), h.attempt(), ON_STATUS, h.key(), h.type(), doc.toPrettyString(), messageId,
                status == null ? null : LogText.safe(status));
    }

    private JsonNode parse(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (Exception e) {
            // stored only after it was read as a JSON object: cannot happen, but never loses the delivery either
            ObjectNode raw = mapper.createObjectNode();
            raw.put("payload", payload);
            return raw;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /** The error in words: its class and message, and its cause's when that says more. */
    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        Throwable cause = error.getCause();
        if (cause != null && cause != error && (error.getMessage() == null || !error.getMessage().contains(String.valueOf(cause.getMessage())))) {
            text += " (caused by " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        return text;
    }
}
