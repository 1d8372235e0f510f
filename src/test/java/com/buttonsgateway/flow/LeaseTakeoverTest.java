package com.buttonsgateway.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.intake.Intake;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A claim whose lease ran out (its instance died) is taken over following gateway.recovery.in-flight (SPEC 7). */
class LeaseTakeoverTest {

    @Test
    void anExpiredClaimOfAnotherInstanceIsFinishedForReviewAndNeverSent() throws Exception {
        try (TestGateway gateway = TestGateway.start("lease", Map.of("gateway.recovery.in-flight", "review"))) {
            gateway.context().getRouteController().stopRoute("dispatcher");
            MessageStore store = gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class);
            Intake intake = gateway.context().getRegistry().lookupByNameAndType("intake", Intake.class);
            intake.accept("{\"id\": \"lease-1\", \"to\": \"972507770101\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}"
                    .getBytes(StandardCharsets.UTF_8), "test", "test");
            // another instance claimed it with a 1 ms lease and died
            List<StoredMessage> claimed = store.claim(10, "dead-instance", 1);
            assertThat(claimed).extracting(StoredMessage::id).containsExactly("lease-1");
            JsonNode result = gateway.awaitResult("lease-1");
            assertThat(result.path("status").asText()).isEqualTo("DEAD");
            assertThat(result.path("reason").asText()).isEqualTo("in flight at a crash: review");
            SandboxProvider sandbox = gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
            assertThat(sandbox.callCount()).isZero();
        }
    }
}
