package com.buttonsgateway.dispatch;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallLatencyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void percentilesAreNearestRankOverTheCallsInTheWindow() {
        CallLatency latency = new CallLatency(1000, now::get);
        for (int ms = 1; ms <= 100; ms++) {
            latency.record(ms * 1_000_000L);
        }
        CallLatency.Percentiles p = latency.percentiles(60_000);
        assertThat(p.calls()).isEqualTo(100);
        assertThat(p.p50Millis()).isEqualTo(50.0);
        assertThat(p.p95Millis()).isEqualTo(95.0);
    }

    @Test
    void callsOlderThanTheWindowAndBeyondTheCapacityDoNotCount() {
        CallLatency latency = new CallLatency(3, now::get);
        latency.record(900_000_000L);
        now.addAndGet(120_000);
        latency.record(1_000_000L);
        latency.record(2_000_000L);
        latency.record(3_000_000L);
        assertThat(latency.percentiles(60_000).calls()).isEqualTo(3);
        assertThat(latency.percentiles(60_000).p95Millis()).isEqualTo(3.0);

        now.addAndGet(120_000);
        CallLatency.Percentiles none = latency.percentiles(60_000);
        assertThat(none.calls()).isZero();
        assertThat(none.p50Millis()).isNull();
        assertThat(none.p95Millis()).isNull();
    }

    @Test
    void oneCallIsEveryPercentile() {
        CallLatency latency = new CallLatency(10, now::get);
        latency.record(7_500_000L);
        assertThat(latency.percentiles(1000).p50Millis()).isEqualTo(7.5);
        assertThat(latency.percentiles(1000).p95Millis()).isEqualTo(7.5);
    }
}
