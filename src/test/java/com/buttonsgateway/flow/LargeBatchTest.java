package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.buttonsgateway.ForkedGateway;
import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A 100,000-item array with gateway.inbox.max-items raised is taken in whole by a gateway limited to -Xmx256m. */
class LargeBatchTest {

    @Test
    void aHundredThousandItemsAreStoredWithA256MegabyteHeap() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "gw-large-").toAbsolutePath();
        int port = TestGateway.freePort();
        try (ForkedGateway gateway = ForkedGateway.start(home, port, Map.of("gateway.inbox.max-items", "100000",
                "gateway.inbox.max-file-bytes", "52428800", "gateway.dispatch.concurrency", "2"), "gateway.log")) {
            StringBuilder batch = new StringBuilder(9_000_000).append('[');
            for (int i = 0; i < 100_000; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"to\":\"9725").append(10_000_000 + i)
                        .append("\",\"body\":\"item ").append(i).append("\",\"button1\":\"OK\",\"template\":{\"name\":\"t\"}}");
            }
            Path tmp = home.resolve("big.tmp");
            Files.writeString(tmp, batch.append(']'));
            long started = System.nanoTime();
            Files.move(tmp, home.resolve("data/inbox/big.json"));
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(home.resolve("data/inbox/.done/big.json"))
                    || Files.exists(home.resolve("data/inbox/.error/big.json")));
            System.out.printf("100,000 items stored in %.1f s at -Xmx256m%n", (System.nanoTime() - started) / 1e9);
            assertThat(home.resolve("data/inbox/.done/big.json")).exists();
            assertThat(gateway.healthy()).isTrue();
            assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
        }
    }
}
