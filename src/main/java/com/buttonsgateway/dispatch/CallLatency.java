package com.buttonsgateway.dispatch;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Provider call latency over a recent window, for the console's p50/p95 (SPEC 10): the last {@code capacity} calls
 * of this instance, of which those made within the window count. The Prometheus histogram
 * ({@code gateway_provider_call_seconds}) counts since the start; this answers "how fast is the provider now".
 */
public final class CallLatency {

    /** Percentiles of the calls within the window; 0 calls gives nulls. */
    public record Percentiles(int calls, Double p50Millis, Double p95Millis) {
    }

    private final long[] at;
    private final long[] nanos;
    private final LongSupplier millis;
    private int next;
    private int size;

    public CallLatency(int capacity, LongSupplier millis) {
        this.at = new long[capacity];
        this.nanos = new long[capacity];
        this.millis = millis;
    }

    /** One call took {@code durationNanos}. */
    public synchronized void record(long durationNanos) {
        at[next] = millis.getAsLong();
        nanos[next] = durationNanos;
        next = (next + 1) % at.length;
        size = Math.min(size + 1, at.length);
    }

    /** p50 and p95 (nearest rank) of the calls made in the last {@code windowMillis}. */
    public Percentiles percentiles(long windowMillis) {
        long since = millis.getAsLong() - windowMillis;
        long[] recent;
        int n = 0;
        synchronized (this) {
            recent = new long[size];
            for (int i = 0; i < size; i++) {
                if (at[i] >= since) {
                    recent[n++] = nanos[i];
                }
            }
        }
        if (n == 0) {
            return new Percentiles(0, null, null);
        }
        long[] sorted = Arrays.copyOf(recent, n);
        Arrays.sort(sorted);
        return new Percentiles(n, rank(sorted, 0.50), rank(sorted, 0.95));
    }

    private static double rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }
}
