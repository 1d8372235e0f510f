package com.buttonsgateway.dispatch;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

import com.buttonsgateway.provider.ProviderReply;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outcome's steps (SPEC 7) without Camel: which branch a reply takes, and the state each branch writes. */
class OutcomesTest {

    private static final String CONTACT = "972501234567";
    private final DispatchFixture f = new DispatchFixture(3, "template", "");
    private int contacts;

    @AfterEach
    void close() {
        f.close();
    }

    /** A message with an open window, claimed and sent as buttons; {@code reply} is how the call ended. */
    private SendJob called(ProviderReply reply) throws Exception {
        // a contact each: a contact's next message waits for the last one's outcome (SPEC 5 order)
        String contact = "97250200" + (1000 + ++contacts);
        f.contactWrote(contact);
        f.queue("m-" + contacts, contact, "{\"to\":\"" + contact + "\",\"body\":\"hi\",\"button1\":\"OK\",\"template\":{\"name\":\"t\"}}");
        return f.outcomes.classify(f.steps.sendButtons(f.claimOne()).replied(reply));
    }

    private static ProviderReply answer(int status, String body) {
        return ProviderReply.answered(status, body, System.nanoTime(), null);
    }

    @Test
    void anOkIsSentWithTheProvidersIdAndItsWholeAnswerWithoutTheApiKey() throws Exception {
        SendJob job = called(answer(200, "{\"status\":\"OK\",\"unique\":\"u-1\",\"apiKey\":\"" + DispatchFixture.API_KEY + "\"}"));
        assertThat(job.next()).isEqualTo(SendJob.Next.SENT);
        SendJob recorded = f.record(f.outcomes.sent(job));
        StoredMessage m = recorded.recorded();
        assertThat(m.status()).isEqualTo(Status.SENT);
        assertThat(m.providerUnique()).isEqualTo("u-1");
        assertThat(m.attempts()).isEqualTo(1);
        assertThat(m.providerResponse()).contains("u-1").doesNotContain(DispatchFixture.API_KEY);
        assertThat(recorded.finished()).isTrue();
    }

    @Test
    void aNetworkErrorIsRetriedAfterTheBackoffAndCountsAnAttempt() throws Exception {
        SendJob job = called(ProviderReply.failed(new ConnectException("refused"), System.nanoTime(), null));
        assertThat(job.next()).isEqualTo(SendJob.Next.RETRY);
        StoredMessage m = f.record(f.outcomes.retryLater(job)).recorded();
        assertThat(m.status()).isEqualTo(Status.QUEUED);
        assertThat(m.attempts()).isEqualTo(1);
        assertThat(m.errors()).contains("\"attempt\":1", "refused");
    }

    @Test
    void theLastAttemptGoesDeadNamingHowManyWereMade() throws Exception {
        f.contactWrote(CONTACT);
        f.queue("m1", CONTACT, "{\"to\":\"" + CONTACT + "\",\"body\":\"hi\",\"button1\":\"OK\"}");
        SendJob job = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            f.clock.advance(java.time.Duration.ofMinutes(10));
            job = f.outcomes.classify(f.steps.sendButtons(f.claimOne()).replied(answer(503, "busy")));
            if (attempt < 3) {
                assertThat(job.next()).isEqualTo(SendJob.Next.RETRY);
                f.dispatcher.done(f.record(f.outcomes.retryLater(job)));
            }
        }
        assertThat(job.next()).isEqualTo(SendJob.Next.DEAD);
        SendJob dead = f.record(f.outcomes.dead(job));
        assertThat(dead.deadLetter()).isTrue();
        assertThat(dead.recorded().reason()).startsWith("gave up after 3 attempts: HTTP 503");
        f.results.deadLetter(dead);
        assertThat(f.files.deadLetterFile("m1")).exists();
    }

    @Test
    void reasonSevenOnButtonsIsDecidedAgainOnceThenDead() throws Exception {
        SendJob job = called(answer(200, "{\"status\":\"ERROR\",\"reason\":7}"));
        assertThat(job.next()).isEqualTo(SendJob.Next.REDECIDE);
        StoredMessage m = f.record(f.outcomes.redecide(job)).recorded();
        assertThat(m.status()).isEqualTo(Status.QUEUED);
        assertThat(m.rerouted()).isTrue();
        assertThat(f.windows.isOpen(DispatchFixture.ACCOUNT, job.contact())).as("the provider closed the window").isFalse();
    }

    @Test
    void reasonThreePausesTheAccountWithoutCountingTheAttempt() throws Exception {
        SendJob job = called(answer(200, "{\"status\":\"ERROR\",\"reason\":3}"));
        assertThat(job.next()).isEqualTo(SendJob.Next.PAUSE);
        StoredMessage m = f.record(f.outcomes.pause(job)).recorded();
        assertThat(m.status()).isEqualTo(Status.QUEUED);
        assertThat(m.attempts()).isZero();
        assertThat(f.accounts.pausedAccounts()).containsKey(DispatchFixture.ACCOUNT);
    }

    @Test
    void reasonTwoForAnAccountThatNeverHadAnOkIsDeadNamingFrom() throws Exception {
        SendJob job = called(answer(200, "{\"status\":\"ERROR\",\"reason\":2}"));
        assertThat(job.next()).isEqualTo(SendJob.Next.DEAD);
        assertThat(f.record(f.outcomes.dead(job)).recorded().reason()).contains("never had an OK", "'from'");
    }

    @Test
    void aCallHeldBackByTheCircuitGoesBackAsItWasWithNoAttempt() throws Exception {
        SendJob job = called(ProviderReply.notCalled());
        assertThat(job.next()).isEqualTo(SendJob.Next.HELD_BACK);
        StoredMessage m = f.record(f.outcomes.heldBack(job)).recorded();
        assertThat(m.status()).isEqualTo(Status.QUEUED);
        assertThat(m.attempts()).isZero();
        assertThat(m.errors()).as("no error added").isEqualTo(job.message().errors());
    }

    @Test
    void failuresInARowOpenTheCircuitAndTheFailureThatOpensItIsAnOutageNotAnAttempt() throws Exception {
        SendJob job = null;
        for (int i = 0; i < 5; i++) {
            job = called(answer(503, "down"));
            if (i < 4) {
                assertThat(job.next()).isEqualTo(SendJob.Next.RETRY);
                f.dispatcher.done(f.record(f.outcomes.retryLater(job)));
            }
        }
        assertThat(job.next()).isEqualTo(SendJob.Next.OUTAGE);
        StoredMessage m = f.record(f.outcomes.outage(job)).recorded();
        assertThat(m.attempts()).isZero();
        assertThat(m.reason()).startsWith("provider outage (not counted)");
    }

    @Test
    void theCircuitGivesBackTheAttemptsOfTheFailuresThatOpenedItEvenWhenTheirTransitionsAreWrittenAfterIt() throws Exception {
        // five calls fail at once; each is weighed (classify) before any of their transitions reaches the store
        List<SendJob> weighed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            weighed.add(called(answer(503, "down")));
        }
        assertThat(weighed).extracting(SendJob::next).containsExactly(SendJob.Next.RETRY, SendJob.Next.RETRY, SendJob.Next.RETRY,
                SendJob.Next.RETRY, SendJob.Next.OUTAGE);
        // the one that opened the circuit is written first, the counted ones after it
        f.dispatcher.done(f.record(f.outcomes.outage(weighed.get(4))));
        for (SendJob job : weighed.subList(0, 4)) {
            f.dispatcher.done(f.record(f.outcomes.retryLater(job)));
        }
        // the give-back went to the writer after the transitions that counted them: nothing is counted
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> weighed.stream()
                .allMatch(j -> f.store.find(j.message().id()).orElseThrow().attempts() == 0));
    }

    @Test
    void aFinalRefusalIsDeadWithTheProvidersWords() throws Exception {
        SendJob job = called(answer(400, "{\"message\":\"bad\"}"));
        assertThat(job.next()).isEqualTo(SendJob.Next.DEAD);
        assertThat(f.record(f.outcomes.dead(job)).recorded().reason()).startsWith("HTTP 400");
    }

    @Test
    void aReplyWithAnIoErrorKeepsNoAnswer() throws Exception {
        SendJob job = called(ProviderReply.failed(new IOException("answer over 65536 bytes"), System.nanoTime(), null));
        assertThat(f.record(f.outcomes.retryLater(job)).recorded().providerResponse()).isNull();
    }
}
