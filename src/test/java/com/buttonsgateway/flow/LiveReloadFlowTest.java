package com.buttonsgateway.flow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live reload replaces only the routes of the file that changed (SPEC 9:
 * camel.main.routes-reload-remove-all-routes=false): editing routes/on-message.camel.yaml while 1,000 messages go to
 * the sandbox loses none and sends none twice, dispatch keeps its routes, and the edit takes effect.
 */
class LiveReloadFlowTest {

    private static final int MESSAGES = 1000;

    @Test
    void editingOneRouteFileWhileAThousandMessagesFlowLosesNoneSendsNoneTwiceAndTakesEffect() throws Exception {
        Map<String, String> properties = new HashMap<>();
        // a ceiling, so the batch is still flowing while the edit is reloaded
        properties.put("gateway.dispatch.rate-per-second", "50");
        try (TestGateway gateway = TestGateway.startWithEditableRoutes("live-reload", properties)) {
            Path home = gateway.home();
            Path routes = home.resolve("routes");
            assertThat(gateway.property("camel.main.routes-reload-remove-all-routes")).isEqualTo("false");
            SandboxProvider sandbox = gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
            int callsBefore = sandbox.callCount();
            Route dispatcher = gateway.context().getRoute("dispatcher");
            Route sendMessage = gateway.context().getRoute("send-message");
            Route onMessage = gateway.context().getRoute("on-message");

            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < MESSAGES; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"reload-").append(i).append("\",\"to\":\"97250700").append(String.format("%04d", i))
                        .append("\",\"body\":\"reload ").append(i).append("\",\"button1\":\"OK\",\"template\":{\"name\":\"t\"}}");
            }
            gateway.drop("reload-batch.json", batch.append(']').toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> results(gateway) >= 50);

            // the user edits on-message: incoming messages now go to a folder of their own
            String edited = Files.readString(routes.resolve("on-message.camel.yaml"))
                    .replace("uri: file:{{gateway.replies.dir}}", "uri: file:{{gateway.home}}/data/messages-v2");
            assertThat(edited).contains("messages-v2");
            gateway.editRoute("on-message.camel.yaml", edited);
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.context().getRoute("on-message") != null
                    && gateway.context().getRoute("on-message") != onMessage);
            assertThat(results(gateway)).as("the edit took effect while the batch was still flowing").isLessThan(MESSAGES);

            HttpResponse<String> wrote = gateway.contactWrites("972507709999", "after the edit");
            String unique = TestGateway.JSON.readTree(wrote.body()).path("unique").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(home.resolve("data/messages-v2/" + unique + ".json")));
            assertThat(home.resolve("data/replies/" + unique + ".json")).doesNotExist();

            await().atMost(Duration.ofSeconds(120)).until(() -> results(gateway) == MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                JsonNode result = TestGateway.readJson(gateway.results().resolve("reload-" + i + ".json"));
                assertThat(result.path("status").asText()).as("reload-%d", i).isEqualTo("SENT");
                assertThat(result.path("attempts").asInt()).as("reload-%d", i).isEqualTo(1);
            }
            // none sent twice: exactly one call each (the sandbox keeps the last 1,000 calls: these)
            assertThat(sandbox.callCount() - callsBefore).isEqualTo(MESSAGES);
            Set<String> contacts = sandbox.received().stream().map(r -> r.path("to").asText()).collect(Collectors.toSet());
            assertThat(contacts).hasSize(MESSAGES);
            // only the edited file's routes were replaced
            assertThat(gateway.context().getRoute("dispatcher")).isSameAs(dispatcher);
            assertThat(gateway.context().getRoute("send-message")).isSameAs(sendMessage);
        }
    }

    private static long results(TestGateway gateway) throws Exception {
        try (var files = Files.list(gateway.results())) {
            return files.filter(f -> f.getFileName().toString().startsWith("reload-")).count();
        }
    }
}
