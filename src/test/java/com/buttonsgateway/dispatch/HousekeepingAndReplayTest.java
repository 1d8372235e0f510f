package com.buttonsgateway.dispatch;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import com.buttonsgateway.provider.ProviderReply;
import com.buttonsgateway.store.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Housekeeping (SPEC 5 hold-hours, SPEC 7 recovery), the claim loop's bookkeeping and replay, without Camel. */
class HousekeepingAndReplayTest {

    private static final String CONTACT = "972501234567";
    private final DispatchFixture f = new DispatchFixture(1, "hold", "");

    @AfterEach
    void close() {
        f.close();
    }

    private void queue(String id) throws Exception {
        f.queue(id, CONTACT, "{\"to\":\"" + CONTACT + "\",\"body\":\"hi\",\"button1\":\"OK\"}");
    }

    @Test
    void aClaimThisInstanceStillWorksOnIsNeverRecoveredOneItLostIs() throws Exception {
        queue("m1");
        SendJob job = f.claimOne();
        assertThat(f.dispatcher.isLive(job.message().claimToken())).isTrue();
        assertThat(f.housekeeping.recoverInFlight(true)).as("live: not taken over").isZero();
        f.dispatcher.done(job);
        assertThat(f.dispatcher.isLive(job.message().claimToken())).isFalse();
        assertThat(f.housekeeping.recoverInFlight(true)).isEqualTo(1);
        assertThat(f.store.find("m1").orElseThrow().status()).isEqualTo(Status.QUEUED);
    }

    @Test
    void aHeldMessageGoesDeadAfterTheHoldHoursWithItsDeadLetter() throws Exception {
        queue("m1");
        f.dispatcher.done(f.record(f.steps.hold(f.claimOne())));
        assertThat(f.housekeeping.expireHeld()).isZero();
        f.clock.advance(Duration.ofHours(73));
        assertThat(f.housekeeping.expireHeld()).isEqualTo(1);
        assertThat(f.store.find("m1").orElseThrow().status()).isEqualTo(Status.DEAD);
        assertThat(f.files.deadLetterFile("m1")).exists();
    }

    @Test
    void aHeldMessageWhoseContactWroteIsReleased() throws Exception {
        queue("m1");
        f.dispatcher.done(f.record(f.steps.hold(f.claimOne())));
        assertThat(f.housekeeping.releaseOpenHeld()).isZero();
        f.contactWrote(CONTACT);
        assertThat(f.housekeeping.releaseOpenHeld()).isEqualTo(1);
        assertThat(f.store.find("m1").orElseThrow().status()).isEqualTo(Status.QUEUED);
    }

    @Test
    void aResultFileACrashKeptFromBeingWrittenIsWrittenLater() throws Exception {
        queue("m1");
        f.contactWrote(CONTACT);
        SendJob sent = f.record(f.outcomes.sent(f.outcomes.classify(f.steps.sendButtons(f.claimOne())
                .replied(ProviderReply.answered(200, "{\"status\":\"OK\",\"unique\":\"u\"}", System.nanoTime(), null)))));
        assertThat(sent.finished()).isTrue();
        // the process died before the result step
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.housekeeping.writeMissingResults()).isEqualTo(1);
        assertThat(f.files.resultFile("m1")).exists();
        // the store hears that the file is written on its writer, after the file: nothing is owed once that is in
        await().atMost(Duration.ofSeconds(10)).until(() -> f.store.pendingResults(f.store.now()).isEmpty());
    }

    @Test
    void aDeadLetterIsReplayedWithAFreshAttemptCountAndItsFileGoes() throws Exception {
        queue("m1");
        f.contactWrote(CONTACT);
        SendJob dead = f.record(f.outcomes.dead(f.outcomes.classify(f.steps.sendButtons(f.claimOne())
                .replied(ProviderReply.answered(400, "no", System.nanoTime(), null)))));
        f.results.deadLetter(dead);
        f.dispatcher.done(dead);
        assertThat(f.files.deadLetterFile("m1")).exists();
        assertThat(f.replay.replay("nope")).isEqualTo(Replay.Outcome.NOT_FOUND);
        assertThat(f.replay.replayFile(Files.readString(f.files.deadLetterFile("m1")))).isEqualTo(Replay.Outcome.REPLAYED);
        assertThat(f.files.deadLetterFile("m1")).doesNotExist();
        assertThat(f.store.find("m1").orElseThrow().attempts()).isZero();
        assertThat(f.replay.replay("m1")).as("queued, not dead").isEqualTo(Replay.Outcome.NOT_DEAD);
        List<SendJob> again = f.claim();
        assertThat(again).extracting(j -> j.message().id()).containsExactly("m1");
    }

    @Test
    void theClaimLoopNeverClaimsMoreThanItsCallsPlusTheFewAhead() throws Exception {
        for (int i = 0; i < 40; i++) {
            f.queue("c" + i, "97250100" + (1000 + i), "{\"to\":\"97250100" + (1000 + i) + "\",\"body\":\"hi\",\"button1\":\"OK\"}");
        }
        int claimed = 0;
        List<SendJob> jobs;
        while (!(jobs = f.claim()).isEmpty()) {
            claimed += jobs.size();
        }
        // gateway.dispatch.concurrency 4 plus 16 claimed ahead
        assertThat(claimed).isEqualTo(20);
        assertThat(f.dispatcher.claimed()).isEqualTo(20);
    }
}
