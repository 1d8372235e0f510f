package com.buttonsgateway.flow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The window for real (SPEC 5 and 6): webhook, hold and release, the provider as final judge, replies. */
class WebhookFlowTest {

    private static final String ACCOUNT = "972771234567";
    private static TestGateway gateway;
    private static String token;
    private static String admin;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("webhook", Map.of());
        token = gateway.property("gateway.webhook.token");
        admin = gateway.property("gateway.admin.token");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static SandboxProvider sandbox() {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
    }

    private static ContactWindows windows() {
        return gateway.context().getRegistry().lookupByNameAndType("contactWindows", ContactWindows.class);
    }

    private static List<JsonNode> sentTo(String contact) {
        return sandbox().received().stream().filter(r -> contact.equals(r.path("to").asText())).toList();
    }

    private static String hook(String unique, String contact, String type, String body) {
        return "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"" + unique + "\",\"from\":\"" + contact
                + "\",\"from_id\":\"IL.1605856887361213\",\"to\":\"" + ACCOUNT + "\",\"type\":\"" + type + "\",\"body\":\"" + body
                + "\",\"timestamp\":\"" + (System.currentTimeMillis() / 1000) + "\"}";
    }

    @Test
    void heldMessagesAreReleasedInAcceptanceOrderWhenTheContactWrites() {
        gateway.drop("hold.json", """
                [{"id": "hold-1", "to": "972504440001", "body": "first", "button1": "OK", "whenClosed": "hold"},
                 {"id": "hold-2", "to": "972504440001", "body": "second", "button1": "OK", "whenClosed": "hold"},
                 {"id": "hold-3", "to": "972504440001", "body": "third", "button1": "OK", "whenClosed": "hold"}]
                """);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                gateway.get("/api/messages?status=HELD&to=972504440001", admin).body().contains("hold-3")
                        && gateway.get("/api/messages?status=HELD&to=972504440001", admin).body().contains("hold-1"));
        assertThat(sentTo("972504440001")).isEmpty();

        assertThat(gateway.contactWrites("972504440001", "hello").statusCode()).isEqualTo(202);
        for (String id : new String[] {"hold-1", "hold-2", "hold-3"}) {
            JsonNode result = gateway.awaitResult(id);
            assertThat(result.path("status").asText()).isEqualTo("SENT");
            assertThat(result.path("route").asText()).isEqualTo("buttons");
        }
        assertThat(sentTo("972504440001")).extracting(r -> r.path("body").asText()).containsExactly("first", "second", "third");
    }

    @Test
    void aContactWritingHasarIsOptedOutAndNothingReachesTheProviderUntilItWritesStart() throws Exception {
        String contact = "972504440090";
        try (LogCapture log = LogCapture.start("opt-out")) {
            // the contact writes "הסר" (remove) through the sandbox: opted out when the webhook answered
            HttpResponse<String> wrote = gateway.post("/sandbox/inbound", "{\"from\": \"" + contact + "\", \"body\": \" הסר \"}", null);
            assertThat(wrote.statusCode()).isEqualTo(202);
            JsonNode optOut = TestGateway.JSON.readTree(gateway.get("/api/contacts/" + contact + "/opt-out", admin).body());
            assertThat(optOut.path("optedOut").asBoolean()).isTrue();
            assertThat(log.matching("contact=" + contact + " account=" + ACCOUNT + " opted out by its message")).hasSize(1);

            gateway.drop("opted-out.json", """
                    {"id": "opted-out-1", "to": "972504440090", "body": "A new offer", "button1": "OK", "template": {"name": "offer"}}
                    """);
            JsonNode refused = gateway.awaitResult("opted-out-1");
            assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
            assertThat(refused.path("reason").asText()).isEqualTo("contact opted out");
            assertThat(refused.path("attempts").asInt()).isZero();
            assertThat(sentTo(contact)).isEmpty();

            // "Start" opts back in: the next message goes (as buttons: the contact just wrote)
            assertThat(gateway.contactWrites(contact, "Start").statusCode()).isEqualTo(202);
            assertThat(TestGateway.JSON.readTree(gateway.get("/api/contacts/" + contact + "/opt-out", admin).body())
                    .path("optedOut").asBoolean()).isFalse();
            gateway.drop("opted-in.json", """
                    {"id": "opted-in-1", "to": "972504440090", "body": "A new offer", "button1": "OK", "template": {"name": "offer"}}
                    """);
            JsonNode sent = gateway.awaitResult("opted-in-1");
            assertThat(sent.path("status").asText()).isEqualTo("SENT");
            assertThat(sent.path("route").asText()).isEqualTo("buttons");
            assertThat(sentTo(contact)).hasSize(1);
            assertThat(log.matching("contact=" + contact + " account=" + ACCOUNT + " opted back in by its message")).hasSize(1);
        }
    }

    @Test
    void aButtonClickOrASentenceWithStopInItOptsNobodyOut() throws Exception {
        String contact = "972504440091";
        assertThat(gateway.post("/webhook/" + token, hook("OPT00000000000000000001", contact, "button", "STOP"), null).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/webhook/" + token, hook("OPT00000000000000000002", contact, "text", "please stop calling"), null)
                .statusCode()).isEqualTo(200);
        assertThat(TestGateway.JSON.readTree(gateway.get("/api/contacts/" + contact + "/opt-out", admin).body())
                .path("optedOut").asBoolean()).isFalse();
    }

    @Test
    void providerSayingClosedWhileTheStoreThoughtOpenReroutesOnceToTheTemplate() {
        // the store believes the window is open (the sandbox never heard from this contact): reason 8 decides
        windows().inbound(ACCOUNT, "972504440002", null, java.time.Instant.now(), null);
        gateway.drop("judge.json", """
                {"id": "judge-1", "to": "972504440002", "body": "hi", "button1": "OK", "template": {"name": "hello_tpl"}}
                """);
        JsonNode result = gateway.awaitResult("judge-1");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("route").asText()).isEqualTo("template");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("errors").get(0).path("detail").asText()).startsWith("reason 8");
        List<JsonNode> calls = sentTo("972504440002");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).has("button1")).isTrue();
        assertThat(calls.get(1).path("name").asText()).isEqualTo("hello_tpl");
        assertThat(windows().isOpen(ACCOUNT, "972504440002")).isFalse();
    }

    @Test
    void wrongOrMissingTokenIs404AndChangesNothing() {
        String body = hook("WRONGTOKEN1", "972504440003", "text", "hi");
        assertThat(gateway.post("/webhook/not-the-token", body, null).statusCode()).isEqualTo(404);
        assertThat(gateway.post("/webhook", body, null).statusCode()).isEqualTo(404);
        assertThat(gateway.post("/webhook/", body, null).statusCode()).isEqualTo(404);
        assertThat(windows().view(ACCOUNT, "972504440003")).isEmpty();
        assertThat(gateway.post("/webhook/" + token, body, null).statusCode()).isEqualTo(200);
        assertThat(windows().isOpen(ACCOUNT, "972504440003")).isTrue();
    }

    @Test
    void theSameUniqueTwiceIsProcessedOnce() throws Exception {
        String body = hook("DUPLICATEHOOK1", "972504440004", "button", "Yes");
        assertThat(gateway.post("/webhook/" + token, body, null).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/webhook/" + token, body, null).statusCode()).isEqualTo(200);
        Path reply = gateway.home().resolve("data/replies/DUPLICATEHOOK1.json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(reply));
        try (Connection c = gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class).dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gw_hook WHERE unique_id = 'DUPLICATEHOOK1'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aButtonClickIsWrittenToTheRepliesFolderWithTheMessageItAnswers() {
        gateway.contactWrites("972504440005", "hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> windows().isOpen(ACCOUNT, "972504440005"));
        gateway.drop("ask.json", """
                {"id": "ask-1", "to": "972504440005", "body": "Deliver today?", "button1": "Yes", "button1_id": "yes", "button2": "No"}
                """);
        String unique = gateway.awaitResult("ask-1").path("provider").path("unique").asText();
        HttpResponse<String> click = gateway.post("/sandbox/inbound", "{\"from\":\"972504440005\",\"type\":\"button\",\"body\":\"Yes\","
                + "\"buttonId\":\"yes\",\"quoteUnique\":\"" + unique + "\"}", null);
        assertThat(click.statusCode()).isEqualTo(202);
        String replyUnique = TestGatewayJson.field(click.body(), "unique");
        Path reply = gateway.home().resolve("data/replies/" + replyUnique + ".json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(reply));
        JsonNode json = TestGateway.readJson(reply);
        assertThat(json.path("text").asText()).isEqualTo("Yes");
        assertThat(json.path("buttonId").asText()).isEqualTo("yes");
        assertThat(json.path("contact").asText()).isEqualTo("972504440005");
        assertThat(json.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(json.path("answers").asText()).isEqualTo("ask-1");
        assertThat(json.path("receivedAt").asText()).endsWith("Z");
    }

    @Test
    void aStatusHookSetsTheSentMessagesDeliveryStatus() {
        gateway.drop("status.json", """
                {"id": "status-1", "to": "972504440006", "body": "hi", "button1": "OK", "template": {"name": "t"}}
                """);
        String unique = gateway.awaitResult("status-1").path("provider").path("unique").asText();
        String hook = "{\"status\":\"OK\",\"hook\":\"status\",\"unique\":\"" + unique + "\",\"ack\":\"read\"}";
        assertThat(gateway.post("/webhook/" + token, hook, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/api/messages/status-1", admin).body().contains("\"read\""));
        JsonNode message = TestGatewayJson.parse(gateway.get("/api/messages/status-1", admin).body());
        assertThat(message.path("deliveryStatus").asText()).isEqualTo("read");
        assertThat(message.path("status").asText()).isEqualTo("SENT");
    }

    @Test
    void withAllowedIpsTheCallersAddressIsCheckedAndAListedOneIsHeard() {
        // SPEC 6: the route hands the TCP peer to the webhook bean; a caller on 127.0.0.1 is heard only when listed
        try (TestGateway guarded = TestGateway.start("webhook-ips", Map.of("gateway.webhook.allowed-ips", "34.165.99.212, 127.0.0.1"))) {
            String guardedToken = guarded.property("gateway.webhook.token");
            assertThat(guarded.post("/webhook/" + guardedToken, hook("ALLOWEDIP1", "972504440020", "text", "hi"), null).statusCode())
                    .isEqualTo(200);
            ContactWindows guardedWindows = guarded.context().getRegistry().lookupByNameAndType("contactWindows", ContactWindows.class);
            assertThat(guardedWindows.isOpen(ACCOUNT, "972504440020")).isTrue();
        }
        try (TestGateway guarded = TestGateway.start("webhook-ips-other", Map.of("gateway.webhook.allowed-ips", "34.165.99.212"))) {
            HttpResponse<String> refused = guarded.post("/webhook/" + guarded.property("gateway.webhook.token"),
                    hook("ALLOWEDIP2", "972504440021", "text", "hi"), null);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("gateway.webhook.allowed-ips");
            ContactWindows guardedWindows = guarded.context().getRegistry().lookupByNameAndType("contactWindows", ContactWindows.class);
            assertThat(guardedWindows.view(ACCOUNT, "972504440021")).isEmpty();
        }
    }

    @Test
    void oversizedAndNonJsonHooksAreRefused() {
        String big = "{\"hook\":\"new\",\"body\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertThat(gateway.post("/webhook/" + token, big, null).statusCode()).isEqualTo(413);
        assertThat(gateway.post("/webhook/" + token, "this is not json", null).statusCode()).isEqualTo(400);
        assertThat(gateway.post("/webhook/" + token, "[1,2]", null).statusCode()).isEqualTo(400);
    }

    @Test
    void windowAndConversationsAreVisibleThroughTheApi() {
        gateway.contactWrites("972504440007", "hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> windows().isOpen(ACCOUNT, "972504440007"));
        gateway.drop("conv.json", """
                [{"id": "conv-1", "to": "972504440007", "body": "one", "button1": "OK"},
                 {"id": "conv-2", "to": "972504440007", "body": "two", "button1": "OK"}]
                """);
        gateway.awaitResult("conv-1");
        gateway.awaitResult("conv-2");
        assertThat(gateway.get("/api/contacts/972504440007/window", null).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/api/contacts/972504440007/window", "wrong").statusCode()).isEqualTo(401);
        JsonNode window = TestGatewayJson.parse(gateway.get("/api/contacts/972504440007/window", admin).body());
        assertThat(window.path("open").asBoolean()).isTrue();
        JsonNode account = window.path("accounts").get(0);
        assertThat(account.path("windowEndsAt").asText()).endsWith("Z");
        assertThat(account.path("conversationEndsAt").asText()).endsWith("Z");

        HttpResponse<String> daily = gateway.get("/api/conversations/daily?from=" + ACCOUNT + "&days=30", admin);
        assertThat(daily.statusCode()).isEqualTo(200);
        JsonNode days = TestGatewayJson.parse(daily.body());
        assertThat(days.path("days")).hasSize(30);
        // two messages to one contact inside 24 hours are one conversation
        assertThat(days.path("total").asLong()).isGreaterThanOrEqualTo(1);
        long before = days.path("total").asLong();
        gateway.drop("conv3.json", """
                {"id": "conv-3", "to": "972504440007", "body": "three", "button1": "OK"}
                """);
        gateway.awaitResult("conv-3");
        assertThat(TestGatewayJson.parse(gateway.get("/api/conversations/daily?from=" + ACCOUNT, admin).body()).path("total").asLong())
                .isEqualTo(before);
    }

    // --- values from a hook are untrusted (SPEC 6) --------------------------------------------------

    @Test
    void aUniqueThatCannotBeAFileNameIsRefusedNamingTheFieldAndNothingIsWritten() throws Exception {
        for (String unique : new String[] {"../../x", "a/b", "a\\b", ".hidden", "x\u0001y", "line\nbreak", "", "u".repeat(129), "C:evil"}) {
            HttpResponse<String> answer = gateway.post("/webhook/" + token, hookJson(unique, "972504440010", "button", "Yes"), null);
            assertThat(answer.statusCode()).as("unique %s", unique).isEqualTo(400);
            assertThat(TestGatewayJson.field(answer.body(), "field")).isEqualTo("unique");
        }
        assertThat(Files.exists(gateway.home().resolve("x.json"))).isFalse();
        assertThat(Files.exists(gateway.home().resolve("data/x.json"))).isFalse();
        assertThat(hookCount("972504440010")).isZero();
        assertThat(windows().view(ACCOUNT, "972504440010")).as("nothing of a refused delivery is applied").isEmpty();
        // a plain unique of the provider's kind still works, with every allowed character
        String good = "3EB0C767D2.6A_1B-1A@5B=8F+";
        assertThat(gateway.post("/webhook/" + token, hook(good, "972504440010", "button", "Yes"), null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(gateway.home().resolve("data/replies/" + good + ".json")));
    }

    @Test
    void valuesLongerThanTheirColumnsAreRefusedWith400NeverA500() throws Exception {
        String longType = hook("LONGTYPE1", "972504440011", "t".repeat(200), "hi");
        HttpResponse<String> type = gateway.post("/webhook/" + token, longType, null);
        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(TestGatewayJson.field(type.body(), "field")).isEqualTo("type");
        assertThat(TestGatewayJson.field(type.body(), "message")).contains("32");

        HttpResponse<String> from = gateway.post("/webhook/" + token, hook("LONGFROM1", "9".repeat(65), "text", "hi"), null);
        assertThat(from.statusCode()).isEqualTo(400);
        assertThat(TestGatewayJson.field(from.body(), "field")).isEqualTo("from");

        String longTo = "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"LONGTO1\",\"from\":\"972504440011\",\"to\":\""
                + "8".repeat(65) + "\",\"type\":\"text\",\"body\":\"hi\"}";
        assertThat(TestGatewayJson.field(gateway.post("/webhook/" + token, longTo, null).body(), "field")).isEqualTo("to");

        String longHook = "{\"status\":\"OK\",\"hook\":\"" + "h".repeat(33) + "\",\"unique\":\"x\",\"ack\":\"read\"}";
        HttpResponse<String> hook = gateway.post("/webhook/" + token, longHook, null);
        assertThat(hook.statusCode()).isEqualTo(400);
        assertThat(TestGatewayJson.field(hook.body(), "field")).isEqualTo("hook");

        // a status hook's long unique is only looked up, and a long unknown ack is cut to its column: stored, 200
        String longStatus = "{\"status\":\"OK\",\"hook\":\"status\",\"unique\":\"" + "u".repeat(300) + "\",\"ack\":\""
                + "a".repeat(300) + "\"}";
        assertThat(gateway.post("/webhook/" + token, longStatus, null).statusCode()).isEqualTo(200);

        // unusable timestamp, conversationTimeLeft and from_id are ignored: stored, window opened now, 200
        String odd = "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"ODDVALUES1\",\"from\":\"972504440012\",\"to\":\"" + ACCOUNT
                + "\",\"from_id\":\"" + "i".repeat(100) + "\",\"type\":\"text\",\"body\":\"hi\",\"timestamp\":\"99999999999999999999\","
                + "\"conversationTimeLeft\":\"9223372036854775807\"}";
        assertThat(gateway.post("/webhook/" + token, odd, null).statusCode()).isEqualTo(200);
        String huge = "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"ODDVALUES2\",\"from\":\"972504440012\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"text\",\"body\":\"hi\",\"timestamp\":9223372036854775807,\"conversationTimeLeft\":-5}";
        assertThat(gateway.post("/webhook/" + token, huge, null).statusCode()).isEqualTo(200);
        ContactWindows.View view = windows().view(ACCOUNT, "972504440012").orElseThrow();
        assertThat(view.open()).isTrue();
        assertThat(view.fromId()).isNull();
        assertThat(view.conversationEndsAt()).isNull();
    }

    // --- every incoming message and status reaches the user's routes (SPEC 6) ------------------------

    @Test
    void aTextMessageGoesThroughOnMessageToTheRepliesFolderWithItsType() {
        HttpResponse<String> wrote = gateway.contactWrites("972504440013", "where is my order?");
        assertThat(wrote.statusCode()).isEqualTo(202);
        String unique = TestGatewayJson.field(wrote.body(), "unique");
        Path file = gateway.home().resolve("data/replies/" + unique + ".json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        JsonNode message = TestGateway.readJson(file);
        assertThat(message.path("type").asText()).isEqualTo("text");
        assertThat(message.path("text").asText()).isEqualTo("where is my order?");
        assertThat(message.path("contact").asText()).isEqualTo("972504440013");
        assertThat(message.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(message.path("unique").asText()).isEqualTo(unique);
        assertThat(message.path("receivedAt").asText()).endsWith("Z");
        assertThat(message.path("hook").path("senderName").asText()).as("every field the provider sent").isEqualTo("Sandbox contact");

        // a location (or any other type) the same way
        String location = "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"LOCATION1\",\"from\":\"972504440013\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"location\",\"body\":\"32.08,34.78\",\"lat\":32.08,\"lng\":34.78}";
        assertThat(gateway.post("/webhook/" + token, location, null).statusCode()).isEqualTo(200);
        Path locationFile = gateway.home().resolve("data/replies/LOCATION1.json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(locationFile));
        assertThat(TestGateway.readJson(locationFile).path("type").asText()).isEqualTo("location");
        assertThat(TestGateway.readJson(locationFile).path("hook").path("lat").asDouble()).isEqualTo(32.08);
    }

    @Test
    void statusHooksMapTheirAckNeverGoBackAndEachReachesOnStatus() {
        gateway.drop("acks.json", """
                {"id": "acks-1", "to": "972504440014", "body": "hi", "button1": "OK", "template": {"name": "t"}}
                """);
        String unique = gateway.awaitResult("acks-1").path("provider").path("unique").asText();
        try (LogCapture log = LogCapture.start("on-status")) {
            assertThat(gateway.post("/webhook/" + token, statusHook(unique, "2"), null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveryStatus("acks-1").equals("delivered"));
            assertThat(gateway.post("/webhook/" + token, statusHook(unique, "\"read\""), null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveryStatus("acks-1").equals("read"));
            // a late "delivered" and an unknown value do not take read back; both are still passed on
            assertThat(gateway.post("/webhook/" + token, statusHook(unique, "\"delivered\",\"late\":true"), null).statusCode()).isEqualTo(200);
            assertThat(gateway.post("/webhook/" + token, statusHook(unique, "\"reacted\""), null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.matching("message acks-1 is").size() >= 4);
            assertThat(log.matching("message acks-1 is")).anyMatch(l -> l.contains("is delivered")).anyMatch(l -> l.contains("is read"))
                    .anyMatch(l -> l.contains("is reacted"));
            assertThat(deliveryStatus("acks-1")).isEqualTo("read");
        }
        // a status for a message the gateway did not send is passed on too
        try (LogCapture log = LogCapture.start("on-status-unknown")) {
            assertThat(gateway.post("/webhook/" + token, statusHook("NOT-OURS-1", "3"), null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.matching("message  is read").isEmpty()
                    || !log.matching("message null is read").isEmpty());
        }
        JsonNode hooks = TestGatewayJson.parse(gateway.get("/api/hooks?limit=5", admin).body());
        assertThat(hooks.path("hooks").get(0).path("hook").asText()).isEqualTo("status");
        assertThat(gateway.get("/api/hooks", null).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/api/hooks?pending=maybe", admin).statusCode()).isEqualTo(400);
    }

    /** A hook built by Jackson, so any unique (backslashes, control characters) travels as valid JSON. */
    private static String hookJson(String unique, String contact, String type, String body) {
        com.fasterxml.jackson.databind.node.ObjectNode hook = TestGateway.JSON.createObjectNode();
        hook.put("status", "OK");
        hook.put("hook", "new");
        hook.put("unique", unique);
        hook.put("from", contact);
        hook.put("to", ACCOUNT);
        hook.put("type", type);
        hook.put("body", body);
        return hook.toString();
    }

    private static String statusHook(String unique, String ack) {
        return "{\"status\":\"OK\",\"hook\":\"status\",\"unique\":\"" + unique + "\",\"ack\":" + ack + "}";
    }

    private static String deliveryStatus(String id) {
        return TestGatewayJson.parse(gateway.get("/api/messages/" + id, admin).body()).path("deliveryStatus").asText();
    }

    private static int hookCount(String contact) throws Exception {
        try (Connection c = gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class).dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gw_hook WHERE contact = ?")) {
            ps.setString(1, contact);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Small JSON helpers for answers. */
    static final class TestGatewayJson {
        static JsonNode parse(String json) {
            try {
                return TestGateway.JSON.readTree(json);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + json, e);
            }
        }

        static String field(String json, String field) {
            return parse(json).path(field).asText();
        }
    }
}
