package com.buttonsgateway.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A finished message owes its result file until it is written; a crash in between leaves it owed (SPEC 7). */
class ResultPendingTest {

    private MessageStore store;

    @BeforeEach
    void store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:pending-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        store = new MessageStore(h2, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StoredMessage sending(String id) {
        store.insert(List.of(new NewMessage(id, "test", "972771234567", "972501234567", "{}")));
        return store.claim(1, "test", 60_000).get(0);
    }

    @Test
    void aFinishedMessageIsOwedItsResultUntilItIsWritten() {
        StoredMessage m = sending("p-1");
        StoredMessage sent = store.applyLater(m, Transition.of(Status.SENDING, Status.SENT).route("buttons"), null).join();

        assertThat(store.pendingResults(store.now() + 1)).extracting(StoredMessage::id).containsExactly("p-1");
        assertThat(store.pendingResults(store.now() - 60_000)).as("only those finished before the given time").isEmpty();

        store.resultWritten(sent.seq());
        await().atMost(Duration.ofSeconds(5)).until(() -> store.pendingResults(store.now() + 1).isEmpty());
    }

    @Test
    void aReplayedMessageOwesNothingUntilItFinishesAgain() {
        StoredMessage dead = store.applyAndGet(sending("p-2"), Transition.of(Status.SENDING, Status.DEAD).reason("final"));
        assertThat(store.pendingResults(store.now() + 1)).hasSize(1);

        store.apply(dead, Transition.of(Status.DEAD, Status.QUEUED).freshAttempts().nextAttemptAt(store.now()).reason("replayed"));
        assertThat(store.pendingResults(store.now() + 1)).isEmpty();

        StoredMessage again = store.claim(1, "test", 60_000).get(0);
        store.applyAndGet(again, Transition.of(Status.SENDING, Status.SENT).route("template"));
        assertThat(store.pendingResults(store.now() + 1)).extracting(StoredMessage::status).containsExactly(Status.SENT);
    }
}
