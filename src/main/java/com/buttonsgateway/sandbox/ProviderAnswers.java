package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * What every sandbox answer shares: a fresh provider {@code unique}, the {@code FAIL} shape, the JSON text.
 * A FAIL carries {@code "sandbox": true} (a field the provider never sends) as every sandbox answer does, so a result
 * that came from here is marked as such wherever it is shown (SPEC 8). Thread-safe.
 */
final class ProviderAnswers {

    private final ObjectMapper mapper;
    private final RandomGenerator random;
    private final long uniqueBase;
    private final AtomicLong uniqueSequence = new AtomicLong();

    /**
     * @param random source of the {@code unique} values' noise; it may be shared with {@link FaultInjector}: both
     *               draw from it only while holding its monitor
     */
    ProviderAnswers(ObjectMapper mapper, RandomGenerator random) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.random = Objects.requireNonNull(random, "random");
        this.uniqueBase = random.nextLong();
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** 22 upper-case hex characters, like the provider's; never repeated by one sandbox. */
    String unique() {
        int noise;
        synchronized (random) {
            noise = random.nextInt(1 << 24);
        }
        long sequenced = mix64(uniqueBase + uniqueSequence.incrementAndGet());
        return String.format(Locale.ROOT, "%06X%016X", noise, sequenced);
    }

    /** The provider's {@code FAIL}: status, reason, a message naming the problem, the time. */
    String fail(Refused r, Instant now) {
        ObjectNode answer = mapper.createObjectNode();
        answer.put("status", "FAIL");
        answer.put("reason", r.reason());
        answer.put("message", r.getMessage());
        answer.put("timestamp", now.getEpochSecond());
        answer.put("sandbox", true);
        return write(answer);
    }

    String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a sandbox answer", e);
        }
    }

    /** A bijection on longs (Stafford's mix 13), so distinct sequence numbers give distinct uniques. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
