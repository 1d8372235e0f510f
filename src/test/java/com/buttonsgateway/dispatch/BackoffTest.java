package com.buttonsgateway.dispatch;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesWithJitterUpToTheCeiling() {
        Backoff backoff = new Backoff(1000, 300_000, new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayAfter(1)).isBetween(500L, 1000L);
            assertThat(backoff.delayAfter(2)).isBetween(1000L, 2000L);
            assertThat(backoff.delayAfter(4)).isBetween(4000L, 8000L);
            assertThat(backoff.delayAfter(30)).isBetween(150_000L, 300_000L);
        }
    }

    @Test
    void jitterSpreadsRetriesThatFailedTogether() {
        Backoff backoff = new Backoff(1000, 300_000, new SplittableRandom(1));
        assertThat(java.util.stream.IntStream.range(0, 50).mapToLong(i -> backoff.delayAfter(3)).distinct().count()).isGreaterThan(40);
    }
}
