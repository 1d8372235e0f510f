package com.buttonsgateway.dispatch;

import java.util.random.RandomGenerator;

/** Exponential backoff with jitter (SPEC 7, gateway.retry.*): attempt 1 waits about initial, then doubling, capped. */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    public Backoff(long initialMillis, long maxMillis, RandomGenerator random) {
        this.initialMillis = Math.max(0, initialMillis);
        this.maxMillis = Math.max(this.initialMillis, maxMillis);
        this.random = random;
    }

    /** The wait before the next try, after {@code failedAttempts} failed calls (1 or more). */
    public long delayAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
        long base = Math.min(maxMillis, initialMillis << Math.min(doublings, 30));
        if (base <= 1) {
            return base;
        }
        // "equal jitter": half fixed, half random, so instances that failed together do not retry together
        long half = base / 2;
        return half + random.nextLong(base - half + 1);
    }
}
