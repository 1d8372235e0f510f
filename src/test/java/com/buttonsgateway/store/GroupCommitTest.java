package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's batch writer: work queued while a transaction runs goes into the next one; a bad piece fails alone. */
class GroupCommitTest {

    private JdbcDataSource h2;
    private GroupCommit writer;

    @BeforeEach
    void writer() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k VARCHAR(20) PRIMARY KEY)");
        }
        writer = new GroupCommit(h2);
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private static GroupCommit.Work<Integer> insert(String key) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        };
    }

    private List<String> rows() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k FROM t ORDER BY k")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** Holds the writer inside a transaction until released, so what is submitted meanwhile queues up. */
    private CountDownLatch holdWriter() throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writer.submit(c -> {
            inside.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void workQueuedDuringATransactionIsCommittedTogetherAndEachFutureCompletesAfterTheCommit() throws Exception {
        CountDownLatch release = holdWriter();
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            done.add(writer.submit(insert(String.format("k%03d", i))));
        }
        assertThat(done).noneMatch(CompletableFuture::isDone);
        release.countDown();

        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(done).allMatch(f -> f.join() == 1);
        assertThat(rows()).hasSize(100).startsWith("k000").endsWith("k099");
    }

    @Test
    void aPieceThatFailsFailsAloneAndTheOthersOfItsBatchAreCommitted() throws Exception {
        CountDownLatch release = holdWriter();
        CompletableFuture<Integer> first = writer.submit(insert("a"));
        CompletableFuture<Integer> bad = writer.submit(insert("a"));
        CompletableFuture<Integer> last = writer.submit(insert("b"));
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SQLException.class);
        assertThat(rows()).containsExactly("a", "b");
    }

    @Test
    void closingFinishesWhatWasSubmittedAndRefusesMore() throws Exception {
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queued.add(writer.submit(insert("q" + i)));
        }
        writer.close();

        assertThat(queued).allMatch(f -> f.isDone() && f.join() == 1);
        assertThat(rows()).hasSize(200);
        assertThatThrownBy(() -> writer.submit(insert("late")).join()).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void anErrorInsideAPieceStopsTheWriterFailsEveryWaitingPieceAndLaterSubmitsFailAtOnce() throws Exception {
        assertThat(writer.problem()).isNull();
        CountDownLatch release = holdWriter();
        CompletableFuture<Integer> fatal = writer.submit(c -> {
            insert("before-error").run(c);
            throw new OutOfMemoryError("simulated");
        });
        CompletableFuture<Integer> sameBatch = writer.submit(insert("same-batch"));
        release.countDown();

        assertThatThrownBy(() -> fatal.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("the store writer died");
        assertThatThrownBy(() -> sameBatch.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class);
        assertThat(writer.problem()).startsWith("the store writer died").contains("OutOfMemoryError").contains("simulated");
        assertThat(rows()).as("the transaction of the error is rolled back").isEmpty();

        CompletableFuture<Integer> late = writer.submit(insert("late"));
        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(() -> writer.await(late, "insert late")).isInstanceOf(StoreException.class)
                .hasMessageContaining("could not insert late").hasMessageContaining("the store writer died");
    }

    @Test
    void aWaitOnTheWriterGivesUpAfterItsPatienceAndALongTransactionIsAProblem() throws Exception {
        writer.close();
        writer = new GroupCommit(h2, java.time.Duration.ofMillis(300));
        CountDownLatch release = holdWriter();
        try {
            CompletableFuture<Integer> queued = writer.submit(insert("waits"));
            assertThatThrownBy(() -> writer.await(queued, "insert waits")).isInstanceOf(StoreException.class)
                    .hasMessageContaining("could not insert waits").hasMessageContaining("did not answer within 300 ms (timeout)");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> writer.problem() != null);
            assertThat(writer.problem()).startsWith("the store writer has been inside one transaction for");
        } finally {
            release.countDown();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> writer.problem() == null);
        assertThat(rows()).containsExactly("waits");
    }
}
