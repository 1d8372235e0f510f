package com.buttonsgateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import com.buttonsgateway.sandbox.MutableClock;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.NewMessage;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.TestH2;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook bean without Camel (SPEC 6): its refusals, and what one delivery changes in the store before the 200. */
class WebhookTest {

    private static final String TOKEN = "hook-token-1";
    private static final String ACCOUNT = "972771234567";
    private static final String CONTACT = "972501112233";
    /** When the contact wrote, as the hook says: a minute before the clock. */
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-01T09:59:00Z");

    private final ObjectMapper mapper = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final AtomicInteger stored = new AtomicInteger();
    private MessageStore store;
    private Hooks hooks;
    private ContactWindows windows;
    private OptOuts optOuts;

    @BeforeEach
    void store() {
        DataSource h2 = TestH2.migrated("webhook");
        store = new MessageStore(h2, clock);
        hooks = new Hooks(h2, clock);
        windows = new ContactWindows(h2, clock, Duration.ofHours(24));
        optOuts = new OptOuts(h2, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Webhook webhook(String allowedIps) {
        return new Webhook(mapper, store, hooks, windows, clock, stored::incrementAndGet, TOKEN, allowedIps, optOuts,
                new OptOutKeywords("STOP,UNSUBSCRIBE", "START"));
    }

    private static String incoming(String unique, String type, String body) {
        return "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"" + unique + "\",\"from\":\"" + CONTACT + "\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"" + type + "\",\"body\":\"" + body + "\",\"timestamp\":\"" + WRITTEN_AT.getEpochSecond() + "\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // --- refusal: checked before anything is stored ------------------------------------------------------------

    @Test
    void aWrongOrMissingTokenIs404WhateverElseIsWrong() {
        Webhook webhook = webhook("192.0.2.7");
        byte[] huge = new byte[70 * 1024];
        assertThat(webhook.refusal("other", "10.0.0.1:4000", huge).status()).isEqualTo(404);
        assertThat(webhook.refusal(null, null, bytes("{}")).status()).isEqualTo(404);
        assertThat(webhook.refusal(TOKEN + "x", null, bytes("{}")).json()).contains("not found");
    }

    @Test
    void aSourceOutsideAllowedIpsIs403AndItsAddressIsReadFromVertxOrText() {
        Webhook webhook = webhook("34.165.99.212, 127.0.0.1");
        byte[] body = bytes(incoming("IP1", "text", "hi"));
        assertThat(webhook.refusal(TOKEN, SocketAddress.inetSocketAddress(41000, "34.165.99.212"), body)).isNull();
        assertThat(webhook.refusal(TOKEN, "127.0.0.1:5555", body)).isNull();
        assertThat(webhook.refusal(TOKEN, SocketAddress.inetSocketAddress(41000, "10.1.2.3"), body).status()).isEqualTo(403);
        assertThat(webhook.refusal(TOKEN, "10.1.2.3:5555", body).json()).contains("gateway.webhook.allowed-ips");
        assertThat(webhook.refusal(TOKEN, null, body).status()).as("an unknown source is not allowed").isEqualTo(403);
        // without the key, any source is heard
        assertThat(webhook("").refusal(TOKEN, null, body)).isNull();
    }

    @Test
    void aBodyOver64KbIs413AndOneThatIsNotAJsonObjectIs400() {
        Webhook webhook = webhook("");
        assertThat(webhook.refusal(TOKEN, null, new byte[64 * 1024 + 1]).status()).isEqualTo(413);
        assertThat(webhook.refusal(TOKEN, null, bytes("this is not json")).status()).isEqualTo(400);
        assertThat(webhook.refusal(TOKEN, null, bytes("[1,2]")).status()).isEqualTo(400);
        assertThat(webhook.refusal(TOKEN, null, null).status()).isEqualTo(400);
        assertThat(webhook.refusal(TOKEN, null, bytes(incoming("OK1", "text", "hi")))).isNull();
    }

    @Test
    void anUntrustedValueIs400NamingTheFieldAndNothingIsStored() throws Exception {
        Webhook webhook = webhook("");
        Webhook.Refusal pathLike = webhook.refusal(TOKEN, null, bytes(incoming("../etc/passwd", "text", "hi")));
        assertThat(pathLike.status()).isEqualTo(400);
        assertThat(mapper.readTree(pathLike.json()).path("field").asText()).isEqualTo("unique");
        Webhook.Refusal longType = webhook.refusal(TOKEN, null, bytes(incoming("T1", "t".repeat(33), "hi")));
        assertThat(mapper.readTree(longType.json()).path("field").asText()).isEqualTo("type");
        assertThat(Webhook.untrusted(mapper.readTree("{\"hook\":\"new\",\"from\":\"97250\\n1\"}")).field()).isEqualTo("from");
        assertThat(hooks.list(false, 10)).isEmpty();
        assertThat(windows.view(ACCOUNT, CONTACT)).isEmpty();
        // receive refuses the same values if it is ever called without the check
        assertThatThrownBy(() -> webhook.receive(incoming("../x", "text", "hi"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhook.receive("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- receive: stored, window moved, all before the answer ------------------------------------------------------

    @Test
    void anIncomingMessageIsStoredDueForItsHandOverAndOpensTheWindowOnce() {
        Webhook webhook = webhook("");
        Webhook.Received first = webhook.receive(incoming("IN1", "text", "hello"));
        assertThat(first).isEqualTo(new Webhook.Received("IN1", "new", "text", ACCOUNT, CONTACT, false));
        assertThat(first.incoming()).isTrue();
        assertThat(stored).as("the hand-over is woken once").hasValue(1);
        assertThat(hooks.waiting()).isEqualTo(1);
        ContactWindows.View view = windows.view(ACCOUNT, CONTACT).orElseThrow();
        assertThat(view.open()).isTrue();
        assertThat(view.lastInboundAt()).isEqualTo(WRITTEN_AT);
        assertThat(view.windowEndsAt()).isEqualTo(WRITTEN_AT.plus(Duration.ofHours(24)));

        // the provider delivers again: answered, changes nothing
        Webhook.Received again = webhook.receive(incoming("IN1", "text", "hello"));
        assertThat(again.duplicate()).isTrue();
        assertThat(stored).hasValue(1);
        assertThat(hooks.list(false, 10)).hasSize(1);
    }

    @Test
    void aStatusHookSetsTheDeliveryStatusOfTheMessageItNamesAndNeverGoesBack() {
        store.insert(List.of(new NewMessage("m-1", "test", ACCOUNT, CONTACT, "{}")));
        StoredMessage claimed = store.claim(1, "test", 60_000).get(0);
        store.apply(claimed, Transition.of(Status.SENDING, Status.SENT).route("buttons").attempted().provider("PU-1", "{}"));
        Webhook webhook = webhook("");

        Webhook.Received read = webhook.receive("{\"hook\":\"status\",\"unique\":\"PU-1\",\"from\":\"" + ACCOUNT + "\",\"to\":\"" + CONTACT
                + "\",\"ack\":3}");
        assertThat(read.incoming()).isFalse();
        assertThat(read.key()).startsWith("status-");
        assertThat(read.account()).isEqualTo(ACCOUNT);
        assertThat(read.contact()).isEqualTo(CONTACT);
        assertThat(store.find("m-1").orElseThrow().deliveryStatus()).isEqualTo("read");
        // a late "delivered" is stored (and handed to on-status) but does not take the message back
        assertThat(webhook.receive("{\"hook\":\"status\",\"unique\":\"PU-1\",\"ack\":2}").duplicate()).isFalse();
        assertThat(store.find("m-1").orElseThrow().deliveryStatus()).isEqualTo("read");
        assertThat(store.find("m-1").orElseThrow().status()).as("the life-cycle status stays").isEqualTo(Status.SENT);
        assertThat(windows.view(ACCOUNT, CONTACT)).as("a status hook moves no window").isEmpty();
    }

    @Test
    void stopOptsTheContactOutAndStartBackInButOnlyAsTheWholeText() {
        Webhook webhook = webhook("");
        webhook.receive(incoming("OPT1", "text", "please stop"));
        assertThat(optOuts.optedOutAt(ACCOUNT, CONTACT)).isEmpty();
        webhook.receive(incoming("OPT2", "button", "STOP"));
        assertThat(optOuts.optedOutAt(ACCOUNT, CONTACT)).as("a click is no opt-out").isEmpty();
        webhook.receive(incoming("OPT3", "text", " Stop "));
        assertThat(optOuts.optedOutAt(ACCOUNT, CONTACT)).contains(clock.instant());
        webhook.receive(incoming("OPT4", "text", "start"));
        assertThat(optOuts.optedOutAt(ACCOUNT, CONTACT)).isEmpty();
    }

    @Test
    void theContactWritingReleasesItsHeldMessagesInTheirOrder() {
        store.insert(List.of(new NewMessage("h-1", "test", ACCOUNT, CONTACT, "{}")));
        store.apply(store.claim(1, "test", 60_000).get(0), Transition.of(Status.SENDING, Status.HELD).route("buttons"));
        store.insert(List.of(new NewMessage("h-2", "test", ACCOUNT, CONTACT, "{}")));
        store.apply(store.claim(1, "test", 60_000).get(0), Transition.of(Status.SENDING, Status.HELD).route("buttons"));
        Webhook webhook = webhook("");

        Webhook.Received status = webhook.receive("{\"hook\":\"status\",\"unique\":\"X\",\"from\":\"" + ACCOUNT + "\",\"to\":\""
                + CONTACT + "\",\"ack\":1}");
        assertThat(webhook.release(status)).as("a status is not the contact writing").isZero();
        Webhook.Received wrote = webhook.receive(incoming("REL1", "text", "hi"));
        assertThat(webhook.release(wrote)).isEqualTo(2);
        assertThat(store.list("QUEUED", CONTACT, 10)).extracting(StoredMessage::id).containsExactlyInAnyOrder("h-1", "h-2");
        assertThat(store.claim(10, "test", 60_000)).extracting(StoredMessage::id).as("released in their order").containsExactly("h-1");
    }

    @Test
    void unusableTimesAreIgnoredAndAFutureTimeCountsAsNow() {
        Webhook webhook = webhook("");
        String future = "{\"hook\":\"new\",\"unique\":\"T-1\",\"from\":\"" + CONTACT + "\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"text\",\"body\":\"hi\",\"timestamp\":\"" + (clock.instant().getEpochSecond() + 3600)
                + "\",\"conversationTimeLeft\":\"not a number\"}";
        webhook.receive(future);
        ContactWindows.View view = windows.view(ACCOUNT, CONTACT).orElseThrow();
        assertThat(view.lastInboundAt()).isEqualTo(clock.instant());
        assertThat(view.conversationEndsAt()).isNull();
        webhook.receive("{\"hook\":\"new\",\"unique\":\"T-2\",\"from\":\"" + CONTACT + "\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"text\",\"body\":\"hi\",\"timestamp\":\"12\",\"conversationTimeLeft\":\"90\"}");
        view = windows.view(ACCOUNT, CONTACT).orElseThrow();
        assertThat(view.lastInboundAt()).as("a timestamp before 2000 is the time of arrival").isEqualTo(clock.instant());
        assertThat(view.conversationEndsAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(90)));
    }
}
