package com.buttonsgateway.flow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hand-over of webhook deliveries from the store (routes/hook-handover.camel.yaml, SPEC 6): a user's
 * reply route that fails is tried again with backoff, shows in the API while it waits, and after a restart the reply
 * arrives, once.
 */
class HookHandoverFlowTest {

    private static final String ACCOUNT = "972771234567";

    private static final String FAILING_ROUTE = """
            - route:
                id: on-button-reply
                routeConfigurationId: gateway-errors
                from:
                  uri: direct:on-button-reply
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: "the user's system is down"
            """;

    /** The default route, plus a line per call in data/calls.txt, so a second hand-over would show. */
    private static final String COUNTING_ROUTE = """
            - route:
                id: on-button-reply
                routeConfigurationId: gateway-errors
                from:
                  uri: direct:on-button-reply
                  steps:
                    - to:
                        uri: file:{{gateway.replies.dir}}
                        parameters:
                          fileName: "${header.GatewayReplyUnique}.json"
                          tempPrefix: ".writing-"
                    - setBody:
                        simple: "${header.GatewayReplyUnique}\\n"
                    - to:
                        uri: file:{{gateway.home}}/data
                        parameters:
                          fileName: calls.txt
                          fileExist: Append
            """;

    @Test
    void aFailingReplyRouteIsRetriedAndAfterARestartTheReplyArrivesExactlyOnce() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-handover-").toAbsolutePath();
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path route : files.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(routes.resolve("on-button-reply.camel.yaml"), FAILING_ROUTE);
        Map<String, String> properties = Map.of("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        int port = TestGateway.freePort();
        String unique = "3EB0HANDOVER1";
        Path reply = home.resolve("data/replies/" + unique + ".json");

        try (LogCapture log = LogCapture.start("handover-failing"); TestGateway gateway = TestGateway.start(home, port, properties)) {
            String token = gateway.property("gateway.webhook.token");
            String admin = gateway.property("gateway.admin.token");
            HttpResponse<String> answer = gateway.post("/webhook/" + token, click(unique), null);
            assertThat(answer.statusCode()).as("stored before the answer, whatever the route does").isEqualTo(200);

            String failed = "hook=" + unique + " hand-over to on-button-reply failed";
            await().atMost(Duration.ofSeconds(30)).until(() -> log.matching(failed).size() >= 3);
            assertThat(log.matching(failed)).allMatch(l -> l.startsWith("WARN") && l.contains("the user's system is down"));
            JsonNode waiting = waiting(gateway, admin);
            assertThat(waiting.path("waiting").asLong()).isEqualTo(1);
            JsonNode hook = waiting.path("hooks").get(0);
            assertThat(hook.path("unique").asText()).isEqualTo(unique);
            assertThat(hook.path("handedOver").asBoolean()).isFalse();
            assertThat(hook.path("attempts").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(hook.path("lastError").asText()).contains("the user's system is down");
            assertThat(hook.path("nextAttemptAt").asText()).endsWith("Z");
            // the provider delivering it again is a duplicate: answered 200, stored once
            assertThat(gateway.post("/webhook/" + token, click(unique), null).statusCode()).isEqualTo(200);
            assertThat(Files.exists(reply)).isFalse();
        }

        // the user fixes the route while the gateway is down; the delivery waits in the store
        Files.writeString(routes.resolve("on-button-reply.camel.yaml"), COUNTING_ROUTE);
        try (TestGateway gateway = TestGateway.start(home, port, properties)) {
            String admin = gateway.property("gateway.admin.token");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reply));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting(gateway, admin).path("waiting").asLong() == 0);
            JsonNode json = TestGateway.readJson(reply);
            assertThat(json.path("unique").asText()).isEqualTo(unique);
            assertThat(json.path("text").asText()).isEqualTo("Tomorrow");
            assertThat(json.path("buttonId").asText()).isEqualTo("later");
            assertThat(json.path("contact").asText()).isEqualTo("972504450001");
            List<String> calls = Files.readAllLines(home.resolve("data/calls.txt"));
            assertThat(calls).containsExactly(unique);
            JsonNode all = TestGatewayJsonHolder.parse(gateway.get("/api/hooks?limit=10", admin).body());
            JsonNode hook = all.path("hooks").get(0);
            assertThat(hook.path("handedOver").asBoolean()).isTrue();
            assertThat(hook.path("attempts").asInt()).isGreaterThanOrEqualTo(4);
            assertThat(hook.path("lastError").isNull()).isTrue();
        }
    }

    @Test
    void theReadmeOnMessageExamplePostsEachMessageToTheUsersEndpointUntilItIsTaken() throws Exception {
        // the user's endpoint: down for the first two posts, then taking them
        List<String> taken = new CopyOnWriteArrayList<>();
        AtomicInteger posts = new AtomicInteger();
        com.sun.net.httpserver.HttpServer crm = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        crm.createContext("/whatsapp/messages", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            boolean down = posts.incrementAndGet() <= 2;
            if (!down) {
                taken.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            exchange.sendResponseHeaders(down ? 503 : 200, -1);
            exchange.close();
        });
        crm.start();
        try {
            Path home = Files.createTempDirectory(Path.of("target"), "gw-on-message-").toAbsolutePath();
            Path routes = Files.createDirectories(home.resolve("routes"));
            try (var files = Files.list(Path.of("routes"))) {
                for (Path route : files.toList()) {
                    Files.copy(route, routes.resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Matcher example = Pattern.compile("<!-- on-message-example: ([\\w.-]+) -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
                    .matcher(Files.readString(Path.of("README.md")));
            assertThat(example.find()).as("README has the on-message example").isTrue();
            assertThat(example.group(2)).contains("http://crm.internal:8081/whatsapp/messages");
            Files.writeString(routes.resolve(example.group(1)), example.group(2)
                    .replace("http://crm.internal:8081", "http://127.0.0.1:" + crm.getAddress().getPort()));
            try (TestGateway gateway = TestGateway.start(home, TestGateway.freePort(),
                    Map.of("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml"))) {
                HttpResponse<String> wrote = gateway.contactWrites("972504450002", "is my order on its way?");
                assertThat(wrote.statusCode()).isEqualTo(202);
                String unique = TestGatewayJsonHolder.parse(wrote.body()).path("unique").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> !taken.isEmpty());
                String admin = gateway.property("gateway.admin.token");
                await().atMost(Duration.ofSeconds(10)).until(() -> waiting(gateway, admin).path("waiting").asLong() == 0);
                assertThat(taken).hasSize(1);
                assertThat(taken.get(0)).startsWith("application/json ");
                JsonNode message = TestGatewayJsonHolder.parse(taken.get(0).substring("application/json ".length()));
                assertThat(message.path("unique").asText()).isEqualTo(unique);
                assertThat(message.path("type").asText()).isEqualTo("text");
                assertThat(message.path("text").asText()).isEqualTo("is my order on its way?");
                assertThat(message.path("contact").asText()).isEqualTo("972504450002");
                assertThat(posts.get()).as("two refused posts, then the one taken").isEqualTo(3);
                assertThat(home.resolve("data/replies/" + unique + ".json")).doesNotExist();
            }
        } finally {
            crm.stop(0);
        }
    }

    private static String click(String unique) {
        return "{\"status\":\"OK\",\"hook\":\"new\",\"unique\":\"" + unique + "\",\"from\":\"972504450001\",\"to\":\"" + ACCOUNT
                + "\",\"type\":\"button\",\"body\":\"Tomorrow\",\"buttonId\":\"later\",\"timestamp\":\"" + (System.currentTimeMillis() / 1000)
                + "\"}";
    }

    private static JsonNode waiting(TestGateway gateway, String admin) {
        return TestGatewayJsonHolder.parse(gateway.get("/api/hooks?pending=true", admin).body());
    }

    private static final class TestGatewayJsonHolder {
        static JsonNode parse(String json) {
            try {
                return TestGateway.JSON.readTree(json);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + json, e);
            }
        }
    }
}
