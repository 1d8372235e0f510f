package com.buttonsgateway.store;

/**
 * One state change of a message (DESIGN: every arrow is one transaction and one log line).
 * Null fields are left as they are in the row.
 */
public record Transition(
        Status from,
        Status to,
        String route,
        int attemptsDelta,
        Long nextAttemptAt,
        String reason,
        String providerUnique,
        String providerResponse,
        String errors,
        Boolean rerouted,
        boolean resetAttempts,
        Long leaseExpiredBefore) {

    public static Transition of(Status from, Status to) {
        return new Transition(from, to, null, 0, null, null, null, null, null, null, false, null);
    }

    /** A take-over: applies only while the claim's lease has still run out at {@code now} (its owner did not renew it). */
    public Transition leaseExpiredBefore(long now) {
        return new Transition(from, to, route, attemptsDelta, nextAttemptAt, reason, providerUnique, providerResponse, errors, rerouted, resetAttempts, now);
    }

    public Transition route(String value) {
        return new Transition(from, to, value, attemptsDelta, nextAttemptAt, reason, providerUnique, providerResponse, errors, rerouted, resetAttempts, leaseExpiredBefore);
    }

    public Transition attempted() {
        return new Transition(from, to, route, 1, nextAttemptAt, reason, providerUnique, providerResponse, errors, rerouted, resetAttempts, leaseExpiredBefore);
    }

    public Transition nextAttemptAt(long value) {
        return new Transition(from, to, route, attemptsDelta, value, reason, providerUnique, providerResponse, errors, rerouted, resetAttempts, leaseExpiredBefore);
    }

    public Transition reason(String value) {
        return new Transition(from, to, route, attemptsDelta, nextAttemptAt, value, providerUnique, providerResponse, errors, rerouted, resetAttempts, leaseExpiredBefore);
    }

    public Transition provider(String unique, String response) {
        return new Transition(from, to, route, attemptsDelta, nextAttemptAt, reason, unique, response, errors, rerouted, resetAttempts, leaseExpiredBefore);
    }

    public Transition errors(String value) {
        return new Transition(from, to, route, attemptsDelta, nextAttemptAt, reason, providerUnique, providerResponse, value, rerouted, resetAttempts, leaseExpiredBefore);
    }

    public Transition rerouted(boolean value) {
        return new Transition(from, to, route, attemptsDelta, nextAttemptAt, reason, providerUnique, providerResponse, errors, value, resetAttempts, leaseExpiredBefore);
    }

    public Transition freshAttempts() {
        return new Transition(from, to, route, attemptsDelta, nextAttemptAt, reason, providerUnique, providerResponse, errors, rerouted, true, leaseExpiredBefore);
    }
}
