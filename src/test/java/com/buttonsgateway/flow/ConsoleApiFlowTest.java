package com.buttonsgateway.flow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API the operator console reads (SPEC 10): stats, time series, detail, dead letters, opt-out. */
class ConsoleApiFlowTest {

    private static final String ACCOUNT = "972771234567";
    private static TestGateway gateway;
    private static String admin;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("console-api", Map.of("gateway.retry.max-attempts", "2"));
        admin = gateway.property("gateway.admin.token");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @AfterEach
    void noFaults() {
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);
        gateway.post("/api/accounts/" + ACCOUNT + "/resume", "", admin);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return WebhookFlowTest.TestGatewayJson.parse(response.body());
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = gateway.get(path, admin);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json(response);
    }

    private static HttpResponse<String> send(String method, String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(String id, String to) {
        return "{\"id\": \"" + id + "\", \"to\": \"" + to + "\", \"body\": \"b\", \"button1\": \"Yes\", \"button2\": \"No\", "
                + "\"template\": {\"name\": \"t\"}}";
    }

    @Test
    void everyNewEndpointWantsTheAdminToken() {
        for (String path : new String[] {"/api/stats", "/api/stats/sent-per-minute", "/api/dead-letters", "/api/messages/x/detail",
                "/api/contacts/972501112222/opt-out"}) {
            assertThat(gateway.get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(gateway.get(path, "wrong").statusCode()).as(path).isEqualTo(401);
        }
        assertThat(gateway.post("/api/dead-letters/replay", "", null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/api/contacts/972501112222/opt-out", "wrong").statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "/api/contacts/972501112222/opt-out", null).statusCode()).isEqualTo(401);
    }

    @Test
    void statsCountTheStoreAndTheCallsAndSentPerMinuteHasTheMinute() {
        gateway.drop("stats.json", "[" + message("stats-1", "972503330001") + "," + message("stats-2", "972503330002") + "]");
        gateway.awaitResult("stats-1");
        gateway.awaitResult("stats-2");

        JsonNode stats = get("/api/stats");
        assertThat(stats.path("sandbox").asBoolean()).isTrue();
        assertThat(stats.path("defaultAccount").asText()).isEqualTo(ACCOUNT);
        assertThat(stats.path("counts").path("SENT").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(stats.path("counts").has("QUEUED")).isTrue();
        assertThat(stats.path("backlog").isNumber()).isTrue();
        assertThat(stats.path("held").isNumber()).isTrue();
        assertThat(stats.path("scheduled").isNumber()).isTrue();
        assertThat(stats.path("retries").path("waiting").isNumber()).isTrue();
        assertThat(stats.path("retries").path("sinceStart").isNumber()).isTrue();
        assertThat(stats.path("latency").path("calls").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(stats.path("latency").path("p50Ms").asDouble()).isPositive();
        assertThat(stats.path("latency").path("p95Ms").asDouble()).isGreaterThanOrEqualTo(stats.path("latency").path("p50Ms").asDouble());
        assertThat(stats.path("accounts").get(0).asText()).isEqualTo(ACCOUNT);

        JsonNode perMinute = get("/api/stats/sent-per-minute?minutes=60");
        assertThat(perMinute.path("points")).hasSize(60);
        assertThat(perMinute.path("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(perMinute.path("points").get(59).path("sent").asLong()
                + perMinute.path("points").get(58).path("sent").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(get("/api/stats/sent-per-minute").path("points")).hasSize(60);
        assertThat(gateway.get("/api/stats/sent-per-minute?minutes=0", admin).statusCode()).isEqualTo(400);
        assertThat(gateway.get("/api/stats/sent-per-minute?minutes=x", admin).statusCode()).isEqualTo(400);
    }

    @Test
    void messagesFilterByIdPrefixAndTimeAndTheDetailShowsRequestAttemptsAndDecision() {
        gateway.post("/sandbox/faults", "{\"failRate\": 1}", null);
        gateway.drop("detail.json", message("detail_1", "972503330003"));
        JsonNode dead = gateway.awaitResult("detail_1");
        assertThat(dead.path("status").asText()).isEqualTo("DEAD");

        assertThat(get("/api/messages?id=detail_").findValuesAsText("id")).containsExactly("detail_1");
        // '_' is matched literally, not as LIKE's wildcard
        assertThat(get("/api/messages?id=detailX").size()).isZero();
        assertThat(get("/api/messages?id=detail&since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00%2B02:00").size()).isEqualTo(1);
        assertThat(get("/api/messages?id=detail&since=2999-01-01T00:00:00Z").size()).isZero();
        assertThat(gateway.get("/api/messages?since=yesterday", admin).statusCode()).isEqualTo(400);
        assertThat(get("/api/messages?id=detail_1").get(0).path("contact").asText()).isEqualTo("972503330003");

        JsonNode detail = get("/api/messages/detail_1/detail");
        assertThat(detail.path("result").path("status").asText()).isEqualTo("DEAD");
        assertThat(detail.path("request").path("body").asText()).isEqualTo("b");
        assertThat(detail.path("request").path("buttons").findValuesAsText("title")).containsExactly("Yes", "No");
        assertThat(detail.toString()).doesNotContainIgnoringCase("apiKey");
        assertThat(detail.path("attempts")).hasSize(2);
        assertThat(detail.path("attempts").get(0).path("detail").asText()).contains("reason 6");
        assertThat(detail.path("decision").path("route").asText()).isEqualTo("template");
        assertThat(detail.path("decision").path("explanation").asText()).contains("window closed");
        assertThat(detail.path("window").path("open").asBoolean()).isFalse();
        assertThat(detail.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(gateway.get("/api/messages/nope/detail", admin).statusCode()).isEqualTo(404);
    }

    @Test
    void deadLettersAreGroupedByReasonAndReplayedByFilter() {
        gateway.post("/sandbox/faults", "{\"failReason\": 4}", null);
        gateway.drop("dl4.json", "[" + message("dl-4a", "972503330011") + "," + message("dl-4b", "972503330012") + "]");
        gateway.awaitResult("dl-4a");
        gateway.awaitResult("dl-4b");
        gateway.post("/sandbox/faults", "{\"failReason\": 7}", null);
        gateway.drop("dl7.json", message("dl-7", "972503330013"));
        assertThat(gateway.awaitResult("dl-7").path("status").asText()).isEqualTo("DEAD");
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);

        JsonNode all = get("/api/dead-letters");
        String four = "reason 4: to empty or wrong number format";
        String seven = "reason 7: more than 24 hours since the client's last message - use a template";
        assertThat(all.path("groups").findValuesAsText("reason")).contains(four, seven);
        JsonNode fours = get("/api/dead-letters?reason=" + encode(four));
        assertThat(fours.path("total").asInt()).isEqualTo(2);
        assertThat(fours.path("messages").findValuesAsText("id")).containsExactlyInAnyOrder("dl-4a", "dl-4b");
        assertThat(fours.path("messages").get(0).path("group").asText()).isEqualTo(four);
        assertThat(get("/api/dead-letters?reason=" + encode(seven) + "&to=972503330013").path("total").asInt()).isEqualTo(1);
        assertThat(get("/api/dead-letters?reason=" + encode(four) + "&limit=1").path("messages")).hasSize(1);

        HttpResponse<String> replayed = gateway.post("/api/dead-letters/replay?reason=" + encode(four), "", admin);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(json(replayed).path("replayed").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(TestGateway.readJson(gateway.results().resolve("dl-4a.json"))
                .path("status").asText()) && "SENT".equals(TestGateway.readJson(gateway.results().resolve("dl-4b.json")).path("status").asText()));
        assertThat(get("/api/dead-letters?reason=" + encode(four)).path("total").asInt()).isZero();
        assertThat(get("/api/dead-letters?reason=" + encode(seven)).path("total").asInt()).isEqualTo(1);
        assertThat(gateway.get("/api/dead-letters?since=nope", admin).statusCode()).isEqualTo(400);
    }

    @Test
    void aPausedAccountShowsInTheStatsWithItsReason() {
        gateway.post("/sandbox/faults", "{\"failReason\": 3}", null);
        gateway.drop("paused.json", message("stats-paused", "972503330021"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/stats").path("pausedAccounts").size() == 1);
        JsonNode paused = get("/api/stats").path("pausedAccounts").get(0);
        assertThat(paused.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(paused.path("reason").asText()).contains("reason 3: wrong apiKey");
        assertThat(paused.path("pausedAt").asText()).endsWith("Z");
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);
        assertThat(gateway.post("/api/accounts/" + ACCOUNT + "/resume", "", admin).statusCode()).isEqualTo(200);
        assertThat(get("/api/stats").path("pausedAccounts")).isEmpty();
        assertThat(gateway.awaitResult("stats-paused").path("status").asText()).isEqualTo("SENT");
    }

    @Test
    void optOutIsReadSetAndClearedPerAccount() {
        String path = "/api/contacts/+972%2050-333-0031/opt-out";
        JsonNode before = get(path);
        assertThat(before.path("contact").asText()).isEqualTo("972503330031");
        assertThat(before.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(before.path("optedOut").asBoolean()).isFalse();

        HttpResponse<String> put = send("PUT", path, admin);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put).path("optedOut").asBoolean()).isTrue();
        String at = json(put).path("optedOutAt").asText();
        assertThat(at).endsWith("Z");
        assertThat(json(send("PUT", path, admin)).path("optedOutAt").asText()).isEqualTo(at);
        assertThat(get(path).path("optedOut").asBoolean()).isTrue();
        assertThat(get(path + "?from=972770000001").path("optedOut").asBoolean()).isFalse();

        HttpResponse<String> delete = send("DELETE", path, admin);
        assertThat(delete.statusCode()).isEqualTo(200);
        assertThat(json(delete).path("optedOut").asBoolean()).isFalse();
        assertThat(get(path).path("optedOut").asBoolean()).isFalse();

        assertThat(gateway.get("/api/contacts/12/opt-out", admin).statusCode()).isEqualTo(400);
        assertThat(gateway.get(path + "?from=abc", admin).statusCode()).isEqualTo(400);
        assertThat(get("/api/contacts/IL.1605856887361213/opt-out").path("contact").asText()).isEqualTo("IL.1605856887361213");
    }

    @Test
    void theConsoleIsServedFromTheJarWithItsOwnTypesAndNothingElse() {
        HttpResponse<String> bare = send("GET", "/console", null);
        assertThat(bare.statusCode()).isEqualTo(308);
        assertThat(bare.headers().firstValue("Location")).hasValue("/console/");

        HttpResponse<String> page = send("GET", "/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(page.body()).contains("<title>").doesNotContain("http://").doesNotContain("https://");
        assertThat(send("GET", "/console/index.html", null).body()).isEqualTo(page.body());

        HttpResponse<String> script = send("GET", "/console/app.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(send("GET", "/console/app.css", null).headers().firstValue("Content-Type").orElse("")).startsWith("text/css");

        assertThat(send("GET", "/console/nope.js", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/%2e%2e/application.properties", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/x/../../pom.xml", null).statusCode()).isIn(404, 400);
        assertThat(send("GET", "/consolex", null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/console/", null).statusCode()).isEqualTo(405);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
