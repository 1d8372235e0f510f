package com.buttonsgateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import com.buttonsgateway.dispatch.Backoff;
import com.buttonsgateway.sandbox.MutableClock;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.NewMessage;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.TestH2;
import com.buttonsgateway.store.Transition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored webhook deliveries handed to their routes from the store (SPEC 6), without Camel: what each route gets, and the retries. */
class HookHandoverTest {

    private static final String ACCOUNT = "972771234567";
    private static final String CONTACT = "972501112233";
    private static final long LEASE = 60_000;
    /** Backoff of 1 s doubling to 8 s: attempt 1 waits 0.5-1 s, 2 waits 1-2 s (equal jitter). */
    private static final long INITIAL = 1_000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private MessageStore store;
    private Hooks hooks;

    @BeforeEach
    void store() {
        DataSource h2 = TestH2.migrated("handover");
        store = new MessageStore(h2, clock);
        hooks = new Hooks(h2, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** {@code idleMillis} 0: {@link HookHandover#next} answers at once when nothing is due. */
    private HookHandover handover(long idleMillis) {
        return new HookHandover(hooks, store, mapper, new Backoff(INITIAL, 8 * INITIAL, new Random(7)), clock, LEASE, idleMillis);
    }

    private void record(String key, String hook, String type, String payload) {
        assertThat(hooks.record(key, hook, type, ACCOUNT, CONTACT, payload)).isTrue();
    }

    private String incoming(String unique, String type, String body, String extra) {
        return "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"" + unique + "\",\"from\":\"" + CONTACT + "\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"" + type + "\",\"body\":\"" + body + "\"" + extra + "}";
    }

    /** A message the gateway sent, with the provider's unique {@code PU-1}. */
    private void sent(String id) {
        store.insert(List.of(new NewMessage(id, "test", ACCOUNT, CONTACT, "{}")));
        store.apply(store.claim(1, "test", LEASE).get(0),
                Transition.of(Status.SENDING, Status.SENT).route("buttons").attempted().provider("PU-1", "{}"));
    }

    @Test
    void nothingDueIsNull() throws Exception {
        assertThat(handover(0).next()).isNull();
    }

    @Test
    void aClickGoesToOnButtonReplyWithTheButtonIdAndTheMessageItAnswers() throws Exception {
        sent("ask-1");
        record("CLICK1", "new", "button", incoming("CLICK1", "button", "Yes", ",\"buttonId\":\"yes\",\"quoteUnique\":\"PU-1\""));

        HookHandover.Handover h = handover(0).next();
        assertThat(h.route()).isEqualTo(HookHandover.ON_BUTTON_REPLY);
        assertThat(h.key()).isEqualTo("CLICK1");
        assertThat(h.fileName()).isEqualTo("CLICK1");
        assertThat(h.attempt()).isEqualTo(1);
        JsonNode body = mapper.readTree(h.body());
        assertThat(body.path("contact").asText()).isEqualTo(CONTACT);
        assertThat(body.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(body.path("text").asText()).isEqualTo("Yes");
        assertThat(body.path("buttonId").asText()).isEqualTo("yes");
        assertThat(body.path("answers").asText()).isEqualTo("ask-1");
        assertThat(body.path("receivedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(body.has("hook")).as("a click's document is the reply, not the raw hook").isFalse();
    }

    @Test
    void aClickWithButtonIdUnderTheOtherNameAndNoKnownQuoteStillGoes() throws Exception {
        record("CLICK2", "new", "button", incoming("CLICK2", "button", "No", ",\"button_id\":\"no\",\"quoteUnique\":\"unknown\""));
        JsonNode body = mapper.readTree(handover(0).next().body());
        assertThat(body.path("buttonId").asText()).isEqualTo("no");
        assertThat(body.get("answers").isNull()).isTrue();
    }

    @Test
    void anyOtherIncomingMessageGoesToOnMessageWithItsTypeAndTheWholeHook() throws Exception {
        record("LOC1", "new", "location", incoming("LOC1", "location", "", ",\"latitude\":32.1,\"longitude\":34.8"));
        HookHandover.Handover h = handover(0).next();
        assertThat(h.route()).isEqualTo(HookHandover.ON_MESSAGE);
        assertThat(h.type()).isEqualTo("location");
        JsonNode body = mapper.readTree(h.body());
        assertThat(body.path("type").asText()).isEqualTo("location");
        assertThat(body.path("hook").path("latitude").asDouble()).isEqualTo(32.1);
        assertThat(body.has("buttonId")).isFalse();
    }

    @Test
    void aStatusGoesToOnStatusNamingTheMessageAndItsDeliveryStatus() throws Exception {
        sent("status-1");
        record("status-abc", "status", null, "{\"hook\":\"status\",\"unique\":\"PU-1\",\"ack\":\"2\"}");
        HookHandover.Handover h = handover(0).next();
        assertThat(h.route()).isEqualTo(HookHandover.ON_STATUS);
        assertThat(h.messageId()).isEqualTo("status-1");
        assertThat(h.deliveryStatus()).isEqualTo("delivered");
        JsonNode body = mapper.readTree(h.body());
        assertThat(body.path("messageId").asText()).isEqualTo("status-1");
        assertThat(body.path("raw").asText()).isEqualTo("2");
        assertThat(body.path("hook").path("ack").asText()).isEqualTo("2");
    }

    @Test
    void handedOverOwesNothingMore() throws Exception {
        HookHandover handover = handover(0);
        record("DONE1", "new", "text", incoming("DONE1", "text", "hi", ""));
        handover.handedOver(handover.next());
        assertThat(hooks.waiting()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(handover.next()).isNull();
        assertThat(hooks.list(false, 10)).singleElement().satisfies(row -> {
            assertThat(row.nextHandoverAt()).isNull();
            assertThat(row.handedOverAt()).isEqualTo(clock.millis() - Duration.ofHours(1).toMillis());
            assertThat(row.attempts()).isEqualTo(1);
        });
    }

    @Test
    void aFailedTryIsDueAgainAfterTheBackoffWithItsErrorShown() throws Exception {
        HookHandover handover = handover(0);
        record("FAIL1", "new", "text", incoming("FAIL1", "text", "hi", ""));
        HookHandover.Handover first = handover.next();
        handover.failed(first, new IllegalStateException("user route down", new java.io.IOException("disk full")));

        Hooks.Row waiting = hooks.list(true, 10).get(0);
        assertThat(waiting.lastError()).isEqualTo("IllegalStateException: user route down (caused by IOException: disk full)");
        assertThat(waiting.nextHandoverAt()).isBetween(clock.millis() + INITIAL / 2, clock.millis() + INITIAL);
        assertThat(handover.next()).as("not before the backoff").isNull();

        clock.advance(Duration.ofMillis(INITIAL));
        HookHandover.Handover second = handover.next();
        assertThat(second.key()).isEqualTo("FAIL1");
        assertThat(second.attempt()).isEqualTo(2);
        handover.handedOver(second);
        assertThat(hooks.waiting()).isZero();
    }

    @Test
    void aTryThatNeverEndsIsDueAgainAfterItsLeaseAndTheOldTryCanNoLongerFinishIt() throws Exception {
        HookHandover handover = handover(0);
        record("LOST1", "new", "text", incoming("LOST1", "text", "hi", ""));
        HookHandover.Handover lost = handover.next();
        assertThat(handover.next()).as("claimed: not handed to a second try meanwhile").isNull();

        clock.advance(Duration.ofMillis(LEASE + 1));
        HookHandover.Handover retry = handover.next();
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(hooks.handedOver(lost.key(), lost.attempt())).as("fenced by its try number").isFalse();
        assertThat(hooks.waiting()).isEqualTo(1);
        handover.handedOver(retry);
        assertThat(hooks.waiting()).isZero();
    }

    @Test
    void aNewDeliveryWakesAWaitingNextAtOnce() throws Exception {
        HookHandover handover = handover(TimeUnit.MINUTES.toMillis(5));
        CompletableFuture<HookHandover.Handover> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return handover.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        record("WAKE1", "new", "text", incoming("WAKE1", "text", "hi", ""));
        handover.wake();
        // whether the wake came before or after next() looked, it finds the delivery well within its idle wait
        assertThat(waiting.get(20, TimeUnit.SECONDS).key()).isEqualTo("WAKE1");
    }

    @Test
    void anErrorIsDescribedByItsClassAndMessageAndACauseThatSaysMore() {
        assertThat(HookHandover.describe(null)).isEqualTo("unknown error");
        assertThat(HookHandover.describe(new RuntimeException())).isEqualTo("RuntimeException");
        RuntimeException wrapped = new RuntimeException(new IllegalStateException("x"));
        assertThat(HookHandover.describe(wrapped)).isEqualTo("RuntimeException: java.lang.IllegalStateException: x");
    }
}
