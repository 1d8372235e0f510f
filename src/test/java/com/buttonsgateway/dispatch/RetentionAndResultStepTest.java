package com.buttonsgateway.dispatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.buttonsgateway.provider.ProviderReply;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The result step (SPEC 4.1, 7) and retention (SPEC 9) without Camel, on an H2 store and a clock the test moves. */
class RetentionAndResultStepTest {

    private static final String CONTACT = "972501234567";
    private final DispatchFixture f = new DispatchFixture(6, "template", "");

    @AfterEach
    void close() {
        f.close();
    }

    private SendJob sent(String id) throws Exception {
        f.contactWrote(CONTACT);
        f.queue(id, CONTACT, "{\"to\":\"" + CONTACT + "\",\"body\":\"hi\",\"button1\":\"OK\"}");
        SendJob job = f.record(f.outcomes.sent(f.outcomes.classify(f.steps.sendButtons(f.claimOne())
                .replied(ProviderReply.answered(200, "{\"status\":\"OK\",\"unique\":\"u-" + id + "\"}", System.nanoTime(), null)))));
        f.dispatcher.done(job);
        return job;
    }

    @Test
    void aFinishedMessagesResultFileIsWrittenOnceAndNoLongerOwed() throws Exception {
        SendJob job = sent("m1");
        f.results.result(job);
        assertThat(f.files.resultFile("m1")).exists();
        assertThat(Files.readString(f.files.resultFile("m1"))).contains("SENT", "u-m1")
                .doesNotContain(DispatchFixture.API_KEY);
        f.clock.advance(Duration.ofMinutes(5));
        // the store hears that the file is written on its writer, after the file: nothing is owed once that is in
        await().atMost(Duration.ofSeconds(10)).until(() -> f.store.pendingResults(f.store.now()).isEmpty());
    }

    @Test
    void retentionDeletesFinishedMessagesAndTheirFilesOlderThanItsDaysAndKeepsTheRest() throws Exception {
        Path replies = Files.createDirectories(f.home.resolve("replies"));
        Hooks hooks = new Hooks(f.h2, f.clock);
        Retention retention = new Retention(f.store, hooks, f.files, replies, f.clock, 30);
        f.results.result(sent("old"));
        // a delivery whose hand-over to its route is still owed is kept, however old (SPEC 6)
        hooks.record("hook-old", "button", "click", DispatchFixture.ACCOUNT, CONTACT, "{}");
        Files.writeString(replies.resolve("hook-old.json"), "{}");
        f.clock.advance(Duration.ofDays(20));
        f.results.result(sent("young"));
        f.clock.advance(Duration.ofDays(11));

        assertThat(retention.sweep()).isEqualTo(1);
        assertThat(f.store.find("old")).isEmpty();
        assertThat(f.files.resultFile("old")).doesNotExist();
        assertThat(replies.resolve("hook-old.json")).as("its hand-over is owed").exists();
        assertThat(f.store.find("young").orElseThrow().status()).isEqualTo(Status.SENT);
        assertThat(f.files.resultFile("young")).exists();
        assertThat(retention.sweep()).as("the next run is due in ten minutes").isZero();
    }

    @Test
    void zeroDaysKeepsEverythingAndANegativeNumberIsRefusedNamingTheKey() throws Exception {
        Retention keepAll = new Retention(f.store, new Hooks(f.h2, f.clock), f.files, f.home, f.clock, 0);
        f.results.result(sent("m1"));
        f.clock.advance(Duration.ofDays(400));
        assertThat(keepAll.sweep()).isZero();
        assertThat(f.store.find("m1")).isPresent();
        assertThatThrownBy(() -> new Retention(f.store, new Hooks(f.h2, f.clock), f.files, f.home, f.clock, -1))
                .hasMessageContaining("gateway.retention.days");
    }
}
