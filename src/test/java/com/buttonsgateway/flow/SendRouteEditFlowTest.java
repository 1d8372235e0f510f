package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The window decision is YAML a user can edit on a running gateway (SPEC 5, SPEC 9 live reload): the closed-window
 * branch of routes/send-message.camel.yaml is changed to hold instead of sending the template, and a branch is added
 * that sends VIP contacts a template whatever their window. Each edit takes effect without a restart.
 */
class SendRouteEditFlowTest {

    @Test
    void editingTheClosedWindowBranchAndAddingAVipBranchTakeEffectWithoutARestart() throws Exception {
        try (TestGateway gateway = TestGateway.startWithEditableRoutes("send-edit", Map.of())) {
            Path routes = gateway.home().resolve("routes");
            // as shipped: a closed window gets the request's template
            gateway.drop("before.json", message("before-edit", "972507100001"));
            JsonNode before = gateway.awaitResult("before-edit");
            assertThat(before.path("status").asText()).isEqualTo("SENT");
            assertThat(before.path("route").asText()).isEqualTo("template");

            // a VIP contact with an open window gets buttons, as shipped
            String vip = "972507199999";
            openWindow(gateway, vip);
            gateway.drop("vip-before.json", message("vip-before", vip));
            assertThat(gateway.awaitResult("vip-before").path("route").asText()).isEqualTo("buttons");

            Route shipped = gateway.context().getRoute("send-message");
            String yaml = Files.readString(routes.resolve("send-message.camel.yaml"));
            String closedTemplateBranch = """
                                        - simple: "${body.whenClosed} == 'template'"
                                          steps:
                                            - bean:
                                                ref: sendSteps
                                                method: sendTemplate
                    """;
            String openBranch = """
                                        # the contact wrote within the window: the buttons message
                    """;
            assertThat(yaml).contains(closedTemplateBranch, openBranch);
            String edited = yaml
                    // the closed-window policy, edited: hold until the contact writes instead of the template
                    .replace(closedTemplateBranch, closedTemplateBranch.replace("method: sendTemplate", "method: hold"))
                    // a new branch: VIP contacts always get a template, whatever their window
                    .replace(openBranch, closedTemplateBranch.replace("${body.whenClosed} == 'template'",
                            "${body.message.contact} starts with '97250719'") + openBranch);
            gateway.editRoute("send-message.camel.yaml", edited);
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.context().getRoute("send-message") != null
                    && gateway.context().getRoute("send-message") != shipped);

            gateway.drop("after.json", message("after-edit", "972507100002"));
            await().atMost(Duration.ofSeconds(20)).until(() -> status(gateway, "after-edit").equals("HELD"));
            assertThat(gateway.results().resolve("after-edit.json")).as("held: not finished, no result yet").doesNotExist();

            gateway.drop("vip-after.json", message("vip-after", vip));
            JsonNode vipAfter = gateway.awaitResult("vip-after");
            assertThat(vipAfter.path("status").asText()).isEqualTo("SENT");
            assertThat(vipAfter.path("route").asText()).isEqualTo("template");
        }
    }

    private static String message(String id, String to) {
        return "{\"id\":\"" + id + "\",\"to\":\"" + to + "\",\"body\":\"Your order is ready\",\"button1\":\"OK\","
                + "\"template\":{\"name\":\"order_ready\"}}";
    }

    private static void openWindow(TestGateway gateway, String contact) {
        gateway.contactWrites(contact, "hello");
        ContactWindows windows = gateway.context().getRegistry().lookupByNameAndType("contactWindows", ContactWindows.class);
        String account = gateway.property("gateway.provider.from");
        await().atMost(Duration.ofSeconds(10)).until(() -> windows.isOpen(account, contact));
    }

    private static String status(TestGateway gateway, String id) throws Exception {
        var answer = gateway.get("/api/messages/" + id, gateway.property("gateway.admin.token"));
        return answer.statusCode() == 200 ? TestGateway.JSON.readTree(answer.body()).path("status").asText() : "";
    }
}
