package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.SplittableRandom;

/** Shared test data: a sandbox on a hand-moved clock, valid requests to vary, JSON helpers. */
abstract class SandboxFixture {

    static final String ACCOUNT = "972771234567";
    static final String CONTACT = "972501234567";
    static final String KEY = "k-secret-4711";
    static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(START);

    SandboxProvider sandbox() {
        return new SandboxProvider(clock, null, 0.0, null, new SplittableRandom(42));
    }

    SandboxProvider sandboxExpecting(String key) {
        return new SandboxProvider(clock, key, 0.0, null, new SplittableRandom(42));
    }

    static ObjectNode buttons() {
        ObjectNode n = JSON.createObjectNode();
        n.put("from", ACCOUNT);
        n.put("to", CONTACT);
        n.put("header", 1);
        n.put("body", "Your order 1234 is ready. Deliver today?");
        n.put("footer", "Reply with a button");
        n.put("button1", "Yes");
        n.put("button2", "No");
        return n;
    }

    static ObjectNode template() {
        ObjectNode n = JSON.createObjectNode();
        n.put("from", ACCOUNT);
        n.put("to", CONTACT);
        n.put("name", "order_ready");
        n.put("bodyVariable1", "1234");
        return n;
    }

    static String inboundText(String contact, String text) {
        ObjectNode n = JSON.createObjectNode();
        n.put("from", contact);
        n.put("body", text);
        return n.toString();
    }

    /** The contact writes in to ACCOUNT now: the sandbox window opens. */
    static Inbound contactWrites(SandboxProvider sandbox) {
        return sandbox.inbound(inboundText(CONTACT, "hello"), ACCOUNT);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String withKey(ObjectNode request, String key) {
        ObjectNode copy = request.deepCopy();
        copy.put("apiKey", key);
        return copy.toString();
    }
}
