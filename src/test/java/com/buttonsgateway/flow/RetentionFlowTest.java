package com.buttonsgateway.flow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention (SPEC 9): finished messages, webhook deliveries and replies older than gateway.retention.days
 * go, with their files; what is not finished, and what is younger, stays. The gateway's clock is moved, not waited for.
 */
class RetentionFlowTest {

    @Test
    void finishedMessagesHooksAndRepliesOlderThanTheRetentionAreDeletedWithTheirFiles() throws Exception {
        try (TestGateway gateway = TestGateway.start("retention", Map.of("gateway.retention.days", "30",
                // a hold that outlives the clock's move, so an unfinished message older than the retention is there to keep
                "gateway.window.hold-hours", "1000"))) {
            String admin = gateway.property("gateway.admin.token");
            SandboxProvider sandbox = gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
            sandbox.faults(0.0, 5);
            gateway.drop("old-dead.json", """
                    {"id": "old-dead", "to": "972508880001", "body": "b", "button1": "OK", "template": {"name": "t"}}
                    """);
            assertThat(gateway.awaitResult("old-dead").path("status").asText()).isEqualTo("DEAD");
            sandbox.faults(0.0, null);
            gateway.drop("old.json", """
                    [{"id": "old-sent", "to": "972508880002", "body": "b", "button1": "OK", "template": {"name": "t"}},
                     {"id": "old-held", "to": "972508880003", "body": "b", "button1": "OK", "whenClosed": "hold"}]
                    """);
            assertThat(gateway.awaitResult("old-sent").path("status").asText()).isEqualTo("SENT");
            gateway.drop("old-again.json", """
                    {"id": "old-sent", "to": "972508880002", "body": "b", "button1": "OK", "template": {"name": "t"}}
                    """);
            Path duplicate = gateway.results().resolve("old-sent.duplicate.json");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(duplicate));
            HttpResponse<String> click = gateway.post("/sandbox/inbound",
                    "{\"from\":\"972508880004\",\"type\":\"button\",\"body\":\"OK\",\"buttonId\":\"1\"}", null);
            assertThat(click.statusCode()).isEqualTo(202);
            String unique = TestGateway.JSON.readTree(click.body()).path("unique").asText();
            Path reply = gateway.data().resolve("replies").resolve(unique + ".json");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(reply));
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.get("/api/messages/old-held", admin).body().contains("\"HELD\""));
            Path deadLetter = gateway.data().resolve("dead-letter/old-dead.json");
            assertThat(deadLetter).exists();

            gateway.clock().advance(Duration.ofDays(31));
            gateway.drop("new.json", """
                    {"id": "new-sent", "to": "972508880005", "body": "b", "button1": "OK", "template": {"name": "t"}}
                    """);
            assertThat(gateway.awaitResult("new-sent").path("status").asText()).isEqualTo("SENT");

            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(gateway.results().resolve("old-sent.json")));
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(reply));
            assertThat(gateway.results().resolve("old-dead.json")).doesNotExist();
            assertThat(deadLetter).doesNotExist();
            assertThat(duplicate).doesNotExist();
            assertThat(gateway.get("/api/messages/old-sent", admin).statusCode()).isEqualTo(404);
            assertThat(gateway.get("/api/messages/old-dead", admin).statusCode()).isEqualTo(404);
            // not finished: kept however old; finished within the retention: kept
            assertThat(gateway.get("/api/messages/old-held", admin).body()).contains("\"HELD\"");
            assertThat(gateway.results().resolve("new-sent.json")).exists();
            assertThat(gateway.get("/api/messages/new-sent", admin).statusCode()).isEqualTo(200);
            javax.sql.DataSource store = gateway.context().getRegistry().lookupByNameAndType("gatewayDataSource", javax.sql.DataSource.class);
            try (var c = store.getConnection(); var ps = c.prepareStatement("SELECT COUNT(*) FROM gw_hook WHERE unique_id = ?")) {
                ps.setString(1, unique);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the click's hook row").isZero();
                }
            }
        }
    }

    @Test
    void zeroKeepsEverything() throws Exception {
        try (TestGateway gateway = TestGateway.start("retention-off", Map.of("gateway.retention.days", "0"))) {
            gateway.drop("kept.json", """
                    {"id": "kept-1", "to": "972508880006", "body": "b", "button1": "OK", "template": {"name": "t"}}
                    """);
            assertThat(gateway.awaitResult("kept-1").path("status").asText()).isEqualTo("SENT");
            gateway.clock().advance(Duration.ofDays(3650));
            com.buttonsgateway.dispatch.Retention retention = gateway.context().getRegistry()
                    .lookupByNameAndType("retention", com.buttonsgateway.dispatch.Retention.class);
            assertThat(retention.sweep()).isZero();
            assertThat(gateway.results().resolve("kept-1.json")).exists();
            assertThat(gateway.get("/api/messages/kept-1", gateway.property("gateway.admin.token")).statusCode()).isEqualTo(200);
        }
    }
}
