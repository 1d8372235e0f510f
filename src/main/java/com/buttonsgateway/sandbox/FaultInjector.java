package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The sandbox's injectable failures (SPEC 2 {@code gateway.sandbox.fail-rate} / {@code .fail-reason}, SPEC 8): a
 * fraction of calls answered FAIL reason 6, or one reason forced on every call; switched while running by
 * {@code POST /sandbox/faults} (route {@code sandbox-faults}). Thread-safe: a switch is seen whole by every call.
 */
public final class FaultInjector {

    private static final String SHAPE = "body must be a JSON object like {\"failRate\": 0.5, \"failReason\": null}";

    private final ObjectMapper mapper;
    private final RandomGenerator random;
    private volatile Faults faults;

    /**
     * @param failRate   fraction (0..1) of calls answered FAIL reason 6 "WhatsApp error - try again"
     * @param failReason {@code null} for none; else every call (past the JSON and key checks) answers FAIL with it (2..8)
     * @param random     decides which calls fail; it may be shared with {@link ProviderAnswers}: both draw from it
     *                   only while holding its monitor
     * @throws IllegalArgumentException for a rate outside 0..1 or a reason outside 2..8
     */
    FaultInjector(double failRate, Integer failReason, RandomGenerator random, ObjectMapper mapper) {
        this.faults = new Faults(failRate, failReason);
        this.random = Objects.requireNonNull(random, "random");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * {@code POST /sandbox/faults}: {@code {"failRate": 0.5, "failReason": null}} (either may be left out: none) switches
     * faults on or off; answers the faults now in force.
     *
     * @throws SandboxInputException naming what is wrong with the body
     */
    public String change(String requestJson) {
        JsonNode json;
        try {
            json = mapper.readTree(requestJson == null ? "" : requestJson);
        } catch (Exception e) {
            throw new SandboxInputException(SHAPE);
        }
        if (json == null || !json.isObject()) {
            throw new SandboxInputException(SHAPE);
        }
        JsonNode rate = json.get("failRate");
        JsonNode reason = json.get("failReason");
        if (rate != null && !rate.isNull() && !rate.isNumber()) {
            throw new SandboxInputException("failRate must be a number from 0 to 1");
        }
        if (reason != null && !reason.isNull() && !reason.canConvertToInt()) {
            throw new SandboxInputException("failReason must be a provider reason 2..8, or null");
        }
        Faults now;
        try {
            now = new Faults(rate == null || rate.isNull() ? 0.0 : rate.asDouble(),
                    reason == null || reason.isNull() ? null : reason.asInt());
        } catch (IllegalArgumentException e) {
            throw new SandboxInputException(e.getMessage());
        }
        faults = now;
        return "{\"failRate\":" + now.failRate() + ",\"failReason\":" + now.failReason() + "}";
    }

    /**
     * Changes the faults while running, as a demo or a test switches a provider outage on and off
     * (same meaning as the constructor's {@code failRate} and {@code failReason}).
     */
    public void change(double failRate, Integer failReason) {
        faults = new Faults(failRate, failReason);
    }

    /** Throws the forced reason, or reason 6 for the rate's share of calls; returns when this call goes on. */
    void inject() {
        Faults now = faults;
        if (now.failReason() != null) {
            throw new Refused(now.failReason(), Refused.words(now.failReason()) + " (forced by the sandbox fail-reason)");
        }
        if (now.failRate() > 0.0 && nextDouble() < now.failRate()) {
            throw new Refused(6, Refused.words(6) + " (injected by the sandbox fail-rate)");
        }
    }

    private double nextDouble() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    /** The faults in force, switched as one value. */
    private record Faults(double failRate, Integer failReason) {

        Faults {
            if (Double.isNaN(failRate) || failRate < 0.0 || failRate > 1.0) {
                throw new IllegalArgumentException("failRate must be between 0 and 1, got " + failRate);
            }
            if (failReason != null && (failReason < 2 || failReason > 8)) {
                throw new IllegalArgumentException("failReason must be a provider FAIL reason 2..8, got " + failReason);
            }
        }
    }
}
