package com.buttonsgateway.flow;

import java.util.Map;

import com.buttonsgateway.ProviderStub;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provider answers are bounded (SPEC 7): read up to 64 KB and within the call's timeout, a longer or
 * slower-dripping answer is a failed attempt that is retried, and a value longer than its column is cut to fit
 * instead of failing the write and leaving the message SENDING.
 */
class ProviderAnswerBoundsTest {

    private static ProviderStub stub;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        stub = new ProviderStub(0, 4);
        gateway = TestGateway.start("answer-bounds", Map.of("gateway.provider.api-key", "bounds-key", "gateway.sandbox.enabled", "false",
                "gateway.provider.base-url", stub.baseUrl(), "gateway.provider.timeout-ms", "1500"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        stub.close();
    }

    private static String message(String id, String contact) {
        return "{\"id\": \"" + id + "\", \"to\": \"" + contact + "\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}";
    }

    @Test
    void aUniqueLongerThanItsColumnIsCutAndTheMessageIsSent() {
        String unique = "U".repeat(300);
        stub.answerNext(ProviderStub.Answer.of("{\"status\":\"OK\",\"unique\":\"" + unique + "\",\"reason\":1}"));
        gateway.drop("long-unique.json", message("long-unique", "972503330001"));

        JsonNode result = gateway.awaitResult("long-unique");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        MessageStore store = gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class);
        StoredMessage stored = store.find("long-unique").orElseThrow();
        assertThat(stored.providerUnique()).hasSize(128).isEqualTo(unique.substring(0, 128));
        assertThat(stub.received().stream().filter(r -> "972503330001".equals(r.path("to").asText())).count()).isEqualTo(1);
    }

    @Test
    void aTwoMegabyteAnswerIsAFailedAttemptAndTheMessageIsRetried() {
        String huge = "{\"status\":\"OK\",\"unique\":\"HUGE\",\"reason\":1,\"padding\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        stub.answerNext(ProviderStub.Answer.of(huge));
        gateway.drop("huge.json", message("huge-answer", "972503330002"));

        JsonNode result = gateway.awaitResult("huge-answer");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("errors")).hasSize(1);
        assertThat(result.path("errors").get(0).path("detail").asText()).startsWith("answer too large").contains("65536 bytes");
        assertThat(result.path("provider").path("unique").asText()).startsWith("STUB");
    }

    @Test
    void anAnswerThatDripsInSlowerThanTheTimeoutIsAFailedAttemptAndTheMessageIsRetried() {
        // 60 bytes, one every 200 ms: 12 s, far past gateway.provider.timeout-ms (1.5 s)
        stub.answerNext(new ProviderStub.Answer("{\"status\":\"OK\",\"unique\":\"DRIP\",\"reason\":1,\"to\":\"972503330003\"}", 200));
        gateway.drop("drip.json", message("drip-answer", "972503330003"));

        JsonNode result = gateway.awaitResult("drip-answer");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("errors").get(0).path("detail").asText()).startsWith("timeout");
        assertThat(result.path("provider").path("unique").asText()).startsWith("STUB");
    }
}
