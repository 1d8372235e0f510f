package com.buttonsgateway.flow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.buttonsgateway.TestGateway;
import com.buttonsgateway.intake.Intake;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code store} and {@code dispatcher} health checks turn DOWN when their worker has stopped, not only when a
 * route is stopped (SPEC 9): a dead store writer, a claim loop that no longer comes round.
 */
class WorkerHealthTest {

    private static HealthCheck.Result check(TestGateway gateway, String id) {
        return HealthCheckHelper.invoke(gateway.context()).stream().filter(r -> id.equals(r.getCheck().getId())).findFirst()
                .orElseThrow();
    }

    /** A message claimed by hand (the dispatcher route stopped meanwhile), so the test holds a SENDING row of its own. */
    private static StoredMessage claimedByHand(TestGateway gateway, String id) throws Exception {
        gateway.context().getRouteController().stopRoute("dispatcher");
        gateway.context().getRegistry().lookupByNameAndType("intake", Intake.class).accept(("{\"id\": \"" + id
                + "\", \"to\": \"972507770201\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}")
                .getBytes(StandardCharsets.UTF_8), "test", "test");
        List<StoredMessage> claimed = store(gateway).claim(1, "test", 60_000);
        assertThat(claimed).extracting(StoredMessage::id).containsExactly(id);
        return claimed.get(0);
    }

    private static MessageStore store(TestGateway gateway) {
        return gateway.context().getRegistry().lookupByNameAndType("messageStore", MessageStore.class);
    }

    @Test
    void aDeadStoreWriterTurnsTheStoreCheckDown() throws Exception {
        try (TestGateway gateway = TestGateway.start("writer-death", Map.of())) {
            assertThat(check(gateway, "store").getState()).isEqualTo(HealthCheck.State.UP);
            StoredMessage m = claimedByHand(gateway, "death-1");

            CompletableFuture<StoredMessage> fatal = store(gateway).applyLater(m, Transition.of(Status.SENDING, Status.SENT), c -> {
                throw new OutOfMemoryError("simulated");
            });
            assertThatThrownBy(() -> fatal.get(10, TimeUnit.SECONDS)).hasMessageContaining("the store writer died");

            HealthCheck.Result store = check(gateway, "store");
            assertThat(store.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(store.getMessage()).hasValueSatisfying(text -> assertThat(text).contains("the store writer died")
                    .contains("OutOfMemoryError"));
            assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(503);
            // and whoever needs the writer now fails at once instead of waiting forever
            assertThatThrownBy(() -> store(gateway).claim(1, "test", 60_000)).hasMessageContaining("the store writer died");
        }
    }

    @Test
    void aClaimLoopThatNoLongerComesRoundTurnsTheDispatcherCheckDownUntilItDoes() throws Exception {
        // with a 3 s lease the loop is expected round within 5 s
        try (TestGateway gateway = TestGateway.start("claim-loop", Map.of("gateway.dispatch.lease-seconds", "3"))) {
            StoredMessage m = claimedByHand(gateway, "loop-1");
            gateway.context().getRouteController().startRoute("dispatcher");
            await().atMost(Duration.ofSeconds(10)).until(() -> check(gateway, "dispatcher").getState() == HealthCheck.State.UP);

            // the store writer hangs inside a transaction: every claim waits for it
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<StoredMessage> hanging = store(gateway).applyLater(m, Transition.of(Status.SENDING, Status.SENT), c -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> check(gateway, "dispatcher").getState() == HealthCheck.State.DOWN);
                assertThat(check(gateway, "dispatcher").getMessage())
                        .hasValueSatisfying(text -> assertThat(text).contains("the claim loop has not come round"));
                assertThat(gateway.get("/observe/health", null).statusCode()).isEqualTo(503);
            } finally {
                release.countDown();
            }
            assertThat(hanging.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.SENT);
            await().atMost(Duration.ofSeconds(10)).until(() -> check(gateway, "dispatcher").getState() == HealthCheck.State.UP);
            assertThat(check(gateway, "store").getState()).isEqualTo(HealthCheck.State.UP);
        }
    }
}
