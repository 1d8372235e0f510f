package com.buttonsgateway.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Housekeeping's queries are bounded per pass whatever the backlog (SPEC 9), and retention picks only what it may delete. */
class HousekeepingBoundsTest {

    private MessageStore store;

    @BeforeEach
    void store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bounds-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        store = new MessageStore(h2, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<StoredMessage> claimFive() {
        List<NewMessage> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(new NewMessage("b-" + i, "test", "972771234567", "97250123450" + i, "{}"));
        }
        store.insert(items);
        return store.claim(5, "dead", -1_000);
    }

    @Test
    void expiredClaimsAndHeldMessagesComeAPageAtATime() {
        List<StoredMessage> claimed = claimFive();
        assertThat(store.inFlight(false, 2)).extracting(StoredMessage::id).containsExactly("b-0", "b-1");
        for (StoredMessage m : claimed) {
            store.apply(m, Transition.of(Status.SENDING, Status.HELD).route("buttons"));
        }
        assertThat(store.heldBefore(Long.MAX_VALUE, 3)).hasSize(3);

        List<String> walked = new ArrayList<>();
        String[] after = {"", ""};
        for (int page = 0; page < 3; page++) {
            List<String[]> pairs = store.heldContacts(after[0], after[1], 2);
            pairs.forEach(p -> walked.add(p[1]));
            if (pairs.size() < 2) {
                break;
            }
            after = pairs.get(pairs.size() - 1);
        }
        assertThat(walked).containsExactly("972501234500", "972501234501", "972501234502", "972501234503", "972501234504");
    }

    @Test
    void retentionTakesOnlyFinishedMessagesWhoseFilesAndWriteBackAreDone() throws Exception {
        List<StoredMessage> claimed = claimFive();
        StoredMessage owed = store.applyAndGet(claimed.get(0), Transition.of(Status.SENDING, Status.SENT));
        StoredMessage written = store.applyAndGet(claimed.get(1), Transition.of(Status.SENDING, Status.DEAD).reason("final"));
        store.applyAndGet(claimed.get(2), Transition.of(Status.SENDING, Status.REJECTED).reason("window closed"));
        StoredMessage writeBack = store.applyAndGet(claimed.get(3), Transition.of(Status.SENDING, Status.SENT));
        store.resultWritten(written.seq());
        store.resultWritten(claimed.get(2).seq());
        store.resultWritten(writeBack.seq());
        try (var c = store.dataSource().getConnection(); var ps = c.prepareStatement(
                "INSERT INTO gw_writeback (message_id, row_key, row_key_type, queued_at) VALUES (?, '1', 4, 0)")) {
            ps.setString(1, writeBack.id());
            ps.executeUpdate();
        }
        long later = store.now() + 1_000;
        org.awaitility.Awaitility.await().until(() -> store.finishedBefore(later, 10).size() == 2);

        List<MessageStore.Finished> finished = store.finishedBefore(later, 10);
        assertThat(finished).extracting(MessageStore.Finished::id).containsExactly("b-1", "b-2");
        assertThat(store.finishedBefore(later, 1)).hasSize(1);
        assertThat(store.deleteFinished(finished, later)).isEqualTo(2);
        assertThat(store.find("b-1")).isEmpty();
        assertThat(store.find(owed.id())).isPresent();
        assertThat(store.find("b-4").orElseThrow().status()).as("still SENDING").isEqualTo(Status.SENDING);
    }
}
