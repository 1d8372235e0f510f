package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SandboxConcurrencyTest extends SandboxFixture {

    private static final int THREADS = 16;
    private static final int CALLS = 300;

    @Test
    void manyThreadsAtOnceLoseNothingAndRepeatNoUnique() throws Exception {
        SandboxProvider sandbox = new SandboxProvider(clock, KEY, 0.25, null, new SplittableRandom(3));
        Set<String> uniques = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String contact = "97250" + (1000000 + t);
                results.add(pool.submit((Callable<int[]>) () -> {
                    start.await();
                    int ok = 0;
                    int six = 0;
                    for (int i = 0; i < CALLS; i++) {
                        Inbound in = sandbox.inbound(inboundText(contact, "m" + i), ACCOUNT);
                        uniques.add(in.unique());
                        ObjectNode request = buttons();
                        request.put("to", contact);
                        JsonNode answer = parse(i % 2 == 0
                                ? sandbox.sendButtons(withKey(request, KEY))
                                : sandbox.sendTemplate(withKey(template().put("to", contact), KEY)));
                        if (answer.get("status").asText().equals("OK")) {
                            uniques.add(answer.get("unique").asText());
                            ok++;
                        } else {
                            assertThat(answer.get("reason").asInt()).isEqualTo(6);
                            six++;
                        }
                    }
                    return new int[] {ok, six};
                }));
            }
            start.countDown();
            int ok = 0;
            int six = 0;
            for (Future<int[]> f : results) {
                int[] counts = f.get(60, TimeUnit.SECONDS);
                ok += counts[0];
                six += counts[1];
            }

            int total = THREADS * CALLS;
            assertThat(ok + six).isEqualTo(total);
            assertThat(six).isBetween(total / 8, total / 2);
            assertThat(sandbox.callCount()).isEqualTo(total);
            assertThat(sandbox.received()).hasSize(Math.min(total, SandboxProvider.RECEIVED_KEPT));
            assertThat(uniques).hasSize(total + ok);
            for (int t = 0; t < THREADS; t++) {
                assertThat(sandbox.lastInbound(ACCOUNT, "97250" + (1000000 + t))).contains(START);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordingUnderContentionLosesNoRequest() throws Exception {
        SandboxProvider sandbox = sandbox();
        int threads = 32;
        int calls = 4000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < calls; i++) {
                        sandbox.sendButtons("{}"); // recorded, then FAIL 4: the cheapest recorded call
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(sandbox.callCount()).isEqualTo(threads * calls);
            assertThat(sandbox.received()).hasSize(Math.min(threads * calls, SandboxProvider.RECEIVED_KEPT));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void uniquesNeverRepeatEvenWithADegenerateRandom() {
        java.util.random.RandomGenerator constant = () -> 0L;
        SandboxProvider sandbox = new SandboxProvider(clock, null, 0.0, null, constant);
        Set<String> uniques = new java.util.HashSet<>();

        for (int i = 0; i < 1000; i++) {
            uniques.add(parse(sandbox.sendTemplate(template().toString())).get("unique").asText());
        }

        assertThat(uniques).hasSize(1000).allMatch(u -> u.matches("[0-9A-F]{22}"));
    }
}
