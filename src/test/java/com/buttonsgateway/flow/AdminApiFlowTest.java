package com.buttonsgateway.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.store.Status;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API as one guarded REST DSL (SPEC 9, 10), through HTTP: every endpoint the README documents is in
 * {@code GET /api/openapi.json} (and nothing else is), every one refuses a call without the token or with a wrong one,
 * no answer ever holds a secret, and every status of the store filters {@code GET /api/messages}.
 */
class AdminApiFlowTest {

    /** {@code GET /api/x}, {@code `GET`, `PUT`, `DELETE /api/x`}, {@code GET|POST /api/x}: methods right before a path. */
    private static final Pattern MENTION = Pattern.compile("((?:(?:GET|POST|PUT|DELETE|PATCH)`?(?:,\\s*`?|\\|)?\\s*)+)(/api/[A-Za-z0-9_.<>{}/-]*)");
    private static final Pattern METHOD = Pattern.compile("GET|POST|PUT|DELETE|PATCH");

    private static TestGateway gateway;
    private static String admin;
    private static String webhookToken;

    /** An endpoint as the README writes it: {@code /api/messages/<id>}, or an example such as {@code /api/messages/crm-77}. */
    record Endpoint(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }

        /** The path with every {@code <placeholder>} given a value a call can use. */
        String callablePath() {
            return path.replace("<number>", "972501112222").replace("<from>", "972771234567").replace("<id>", "admin-flow-x")
                    .replaceAll("<[^>]*>", "x");
        }
    }

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("admin-api", Map.of());
        admin = gateway.property("gateway.admin.token");
        webhookToken = gateway.property("gateway.webhook.token");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Every {@code METHOD /api/...} the README mentions, query strings left out, each once. */
    static List<Endpoint> readmeEndpoints() {
        String readme;
        try {
            readme = Files.readString(Path.of("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<Endpoint> found = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(readme);
        while (m.find()) {
            Matcher method = METHOD.matcher(m.group(1));
            while (method.find()) {
                found.add(new Endpoint(method.group(), m.group(2)));
            }
        }
        assertThat(found).as("the README documents the admin API").hasSizeGreaterThan(10);
        return new ArrayList<>(found);
    }

    private static HttpResponse<String> call(String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode openApi() {
        HttpResponse<String> response = call("GET", "/api/openapi.json", "Bearer " + admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        return WebhookFlowTest.TestGatewayJson.parse(response.body());
    }

    /** A path of the OpenAPI document ({@code /api/messages/{id}}) as a pattern that a README path matches. */
    private static Pattern template(String openApiPath) {
        return Pattern.compile(Arrays.stream(openApiPath.split("/", -1))
                .map(segment -> segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment)).reduce((a, b) -> a + "/" + b).orElseThrow());
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointTheReadmeDocumentsAndNoOther() {
        JsonNode doc = openApi();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        List<Endpoint> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> operations.add(new Endpoint(method.toUpperCase(), path.getKey())));
        }
        List<Endpoint> documented = readmeEndpoints();
        for (Endpoint mentioned : documented) {
            assertThat(operations).as("the README's " + mentioned + " is in /api/openapi.json")
                    .anyMatch(op -> op.method().equals(mentioned.method()) && template(op.path()).matcher(mentioned.path()).matches());
        }
        for (Endpoint op : operations) {
            assertThat(documented).as(op + " of /api/openapi.json is documented in the README")
                    .anyMatch(mentioned -> mentioned.method().equals(op.method()) && template(op.path()).matcher(mentioned.path()).matches());
        }
        assertThat(operations).contains(new Endpoint("GET", "/api/openapi.json"), new Endpoint("POST", "/api/messages"),
                new Endpoint("GET", "/api/messages/{id}"), new Endpoint("DELETE", "/api/contacts/{number}/opt-out"));

        // the bearer token: one scheme, required by every operation, each of which says what a refusal is
        JsonNode scheme = doc.path("components").path("securitySchemes").elements().next();
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        String schemeName = doc.path("components").path("securitySchemes").fieldNames().next();
        assertThat(doc.path("security").findValues(schemeName)).isNotEmpty();
        doc.path("paths").forEach(path -> path.forEach(operation ->
                assertThat(operation.path("responses").has("401")).as(operation.path("operationId").asText()).isTrue()));

        // parameters: the path's own, the query's, and the status filter offers every status of the store
        JsonNode list = doc.path("paths").path("/api/messages").path("get").path("parameters");
        assertThat(list.findValuesAsText("name")).contains("status", "to", "id", "since", "until", "limit");
        JsonNode status = list.findParents("name").stream().filter(p -> p.path("name").asText().equals("status")).findFirst().orElseThrow();
        assertThat(status.path("required").asBoolean(true)).isFalse();
        List<String> offered = new ArrayList<>();
        status.path("schema").path("enum").forEach(v -> offered.add(v.asText()));
        assertThat(offered).containsExactly(Arrays.stream(Status.values()).map(Status::name).toArray(String[]::new));
        JsonNode detail = doc.path("paths").path("/api/messages/{id}/detail").path("get").path("parameters").get(0);
        assertThat(detail.path("in").asText()).isEqualTo("path");
        assertThat(detail.path("name").asText()).isEqualTo("id");
        assertThat(detail.path("required").asBoolean()).isTrue();
        assertThat(doc.path("paths").path("/api/messages").path("post").path("requestBody").path("required").asBoolean()).isTrue();

        assertThat(doc.toString()).doesNotContain(admin).doesNotContain(webhookToken);
    }

    static Stream<Endpoint> everyDocumentedEndpoint() {
        return readmeEndpoints().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDocumentedEndpoint")
    void everyEndpointRefusesNoTokenAndAWrongOneAndNoAnswerHoldsASecret(Endpoint endpoint) {
        String path = endpoint.callablePath();
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + admin + "x", admin, "Basic " + admin}) {
            HttpResponse<String> refused = call(endpoint.method(), path, authorization);
            assertThat(refused.statusCode()).as(endpoint + " with " + (authorization == null ? "no token" : "a wrong token")).isEqualTo(401);
            JsonNode error = WebhookFlowTest.TestGatewayJson.parse(refused.body());
            assertThat(error.path("status").asInt()).isEqualTo(401);
            assertThat(error.path("error").asText()).contains("Bearer <gateway.admin.token>");
            assertNoSecret(endpoint, refused);
        }
        HttpResponse<String> allowed = call(endpoint.method(), path, "Bearer " + admin);
        assertThat(allowed.statusCode()).as(endpoint + " with the token: " + allowed.body()).isNotIn(401, 403, 405, 500);
        assertNoSecret(endpoint, allowed);
    }

    private static void assertNoSecret(Endpoint endpoint, HttpResponse<String> response) {
        String headers = response.headers().map().toString();
        for (String secret : new String[] {admin, webhookToken}) {
            assertThat(response.body()).as(endpoint + " answer").doesNotContain(secret);
            assertThat(headers).as(endpoint + " answer headers").doesNotContain(secret);
        }
        assertThat(response.headers().firstValue("Authorization")).as(endpoint + " echoes no Authorization").isEmpty();
    }

    @Test
    void everyStatusFiltersTheListAndDuplicatesAreListedWithTheirContact() {
        String message = "{\"id\": \"flow-dup-1\", \"to\": \"972501114444\", \"body\": \"b\", \"button1\": \"Yes\", \"template\": {\"name\": \"t\"}}";
        assertThat(gateway.post("/api/messages", message, admin).statusCode()).isEqualTo(202);
        HttpResponse<String> again = gateway.post("/api/messages", message, admin);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).contains("DUPLICATE");
        gateway.drop("dup.json", message);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(gateway.inbox().resolve(".done/dup.json")));

        HttpResponse<String> duplicates = gateway.get("/api/messages?status=DUPLICATE", admin);
        assertThat(duplicates.statusCode()).as(duplicates.body()).isEqualTo(200);
        JsonNode list = WebhookFlowTest.TestGatewayJson.parse(duplicates.body());
        assertThat(list.findValuesAsText("id")).containsExactly("flow-dup-1");
        assertThat(list.get(0).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(list.get(0).path("contact").asText()).isEqualTo("972501114444");
        assertThat(list.get(0).path("source").asText()).as("the latest repeat").isEqualTo("file:dup.json");
        assertThat(WebhookFlowTest.TestGatewayJson.parse(gateway.get("/api/messages?status=duplicate&to=972501114444", admin).body())
                .findValuesAsText("id")).containsExactly("flow-dup-1");
        assertThat(WebhookFlowTest.TestGatewayJson.parse(gateway.get("/api/messages?status=DUPLICATE&to=972509999999", admin).body()))
                .isEmpty();

        for (Status status : Status.values()) {
            HttpResponse<String> filtered = gateway.get("/api/messages?status=" + status.name(), admin);
            assertThat(filtered.statusCode()).as(status + ": " + filtered.body()).isEqualTo(200);
            WebhookFlowTest.TestGatewayJson.parse(filtered.body()).forEach(m -> assertThat(m.path("status").asText()).isEqualTo(status.name()));
        }

        HttpResponse<String> unknown = gateway.get("/api/messages?status=LOST", admin);
        assertThat(unknown.statusCode()).isEqualTo(400);
        String error = WebhookFlowTest.TestGatewayJson.parse(unknown.body()).path("error").asText();
        assertThat(error).startsWith("status must be one of");
        for (Status status : Status.values()) {
            assertThat(error).contains(status.name());
        }
    }
}
