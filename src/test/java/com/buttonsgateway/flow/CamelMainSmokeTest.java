package com.buttonsgateway.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.config.GatewayConfiguration;
import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway booted the Camel way (camel-test-main-junit5): GatewayConfiguration with application.properties and the
 * routes in ./routes, as {@code App} starts it, once for the class. A file dropped in its real inbox is stored, sent
 * to the sandbox and ends as a SENT result file, and the file moves to {@code .done/} (SPEC 4.1, 7, 8); a document
 * handed to {@code direct:accept-request}, as a user's route does, gets the per-item answer (SPEC 4.5).
 * <p>
 * The configuration is constant; only the gateway's home and its HTTP port (which the sandbox is called on) must be
 * new for each run, so that several builds on one machine do not meet: they are made before the context starts and
 * read with {@code {{sys:...}}}. Tests that need an adjustable clock, their own settings per test, restarts or a
 * gateway in its own JVM use {@link TestGateway} or {@code ForkedGateway} (README "Development").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(configurationClasses = GatewayConfiguration.class,
        propertyPlaceholderLocations = "file:application.properties",
        properties = {
                "gateway.home={{sys:" + CamelMainSmokeTest.HOME + "}}",
                "camel.server.port={{sys:" + CamelMainSmokeTest.PORT + "}}",
                "camel.main.routes-include-pattern=file:routes/*.yaml",
                "camel.main.routes-reload-enabled=false"})
class CamelMainSmokeTest {

    static final String HOME = "camel-main-smoke.home";
    static final String PORT = "camel-main-smoke.port";

    private static Path home;

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void freshHomeAndPort() throws IOException {
        home = Files.createTempDirectory(Path.of("target"), "gw-camel-main-").toAbsolutePath();
        System.setProperty(HOME, home.toString());
        System.setProperty(PORT, Integer.toString(TestGateway.freePort()));
    }

    @AfterAll
    static void clear() {
        System.clearProperty(HOME);
        System.clearProperty(PORT);
    }

    @Test
    void aFileDroppedInTheInboxIsSentThroughTheSandboxAndEndsAsASentResult() throws IOException {
        Path inbox = home.resolve("data/inbox");
        Path written = Files.writeString(home.resolve("smoke.tmp"), """
                {"id": "smoke-1", "to": "972501119001", "body": "Your order is ready", "button1": "OK",
                 "template": {"name": "order_ready", "bodyVariable1": "9001"}}
                """, StandardCharsets.UTF_8);
        Files.move(written, inbox.resolve("smoke.json"));

        Path resultFile = home.resolve("data/results/smoke-1.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(resultFile));
        JsonNode result = TestGateway.readJson(resultFile);
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("source").asText()).isEqualTo("file:smoke.json");
        assertThat(result.path("route").asText()).as("a first contact's window is closed").isEqualTo("template");
        assertThat(result.path("sandbox").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".done/smoke.json")));
        SandboxProvider sandbox = context.getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
        assertThat(sandbox.received()).filteredOn(sent -> "972501119001".equals(sent.path("to").asText()))
                .singleElement().satisfies(sent -> assertThat(sent.path("name").asText()).isEqualTo("order_ready"));
    }

    /** SPEC 4.5: a user's route hands a document to direct:accept-request and gets the per-item answer back. */
    @Test
    void aRouteThatSetsNoSourceGetsThePerItemAnswerAndIsNamedByItsRoute() throws IOException {
        Exchange answered = context.createFluentProducerTemplate().to("direct:accept-request")
                .withBody("[{\"id\": \"smoke-2\", \"to\": \"972501119002\", \"body\": \"b\", \"button1\": \"OK\"}, {\"to\": \"1\"}]")
                .send();

        assertThat(answered.getException()).isNull();
        AcceptResult result = answered.getMessage().getHeader("GatewayAcceptResult", AcceptResult.class);
        assertThat(result.source()).isEqualTo("route:accept-request");
        assertThat(result.httpStatus()).isEqualTo(207);
        JsonNode answer = TestGateway.JSON.readTree(answered.getMessage().getBody(String.class));
        assertThat(answer.findValuesAsText("status")).containsExactly("QUEUED", "REJECTED");
        assertThat(answer.get(0).path("id").asText()).isEqualTo("smoke-2");
    }
}
