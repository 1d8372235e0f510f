package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.intake.Acceptor;
import com.buttonsgateway.request.LogText;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.store.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy database intake (SPEC 4.3). One poll is one transaction on the legacy database: the select (which
 * should lock what it returns, {@code FOR UPDATE SKIP LOCKED}, so a second poller skips these rows), then per row
 * the hand-over of its document (as built from the row, not as text to parse again) to the accept step, which
 * returns once the item is stored, and the claim; the commit releases the rows. Camel's sql consumer runs its select
 * and its onConsume in separate statements, so it could not hold the lock across the store write: hence this bean.
 * <p>
 * A row's item that is {@code REJECTED} (or a {@code DUPLICATE} of another source's message) gets its outcome
 * written back in the same transaction; a stored one is recorded in the {@link WriteBackQueue} and written back when
 * its message finishes. When the store cannot be written, the rows before are kept claimed and the rest are left
 * unclaimed for the next poll; one read again after a crash is a duplicate of its own message and is just claimed.
 * <p>
 * A row whose claim (or immediate write-back) fails is left unclaimed and the rows after it are taken all the same
 * (SPEC 9); after {@code TRIES} failed polls it is skipped, with an ERROR naming it and the
 * {@code gateway_poller_skipped_total} metric, and tried again only every {@code RETRY_SKIPPED} (a skip may be a
 * passing fault of the legacy database).
 */
public final class LegacyPoller {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyPoller.class);

    private final DataSource legacy;
    private final NamedSql select;
    private final NamedSql claim;
    private final NamedSql writeBack;
    private final Acceptor acceptor;
    private final WriteBackQueue queue;
    private final Function<String, Optional<String>> sourceOfMessage;
    private final java.util.function.Consumer<String> skippedMetric;
    static final int TRIES = 3;
    static final long RETRY_SKIPPED_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    /** Failed tries per row ({@code db:<key>}), and rows skipped with the System.nanoTime() of their next try. */
    private final Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> skipped = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param writeBack       {@code gateway.poller.write-back}, or null when outcomes are not written back
     * @param sourceOfMessage the source ({@code db:42}) of a stored message, to tell a row read again from a duplicate
     */
    public LegacyPoller(DataSource legacy, NamedSql select, NamedSql claim, NamedSql writeBack, Acceptor acceptor,
                        WriteBackQueue queue, Function<String, Optional<String>> sourceOfMessage) {
        this(legacy, select, claim, writeBack, acceptor, queue, sourceOfMessage, step -> { });
    }

    /** @param skippedMetric counts a row skipped, by the step that failed (gateway.poller.claim or .write-back) */
    public LegacyPoller(DataSource legacy, NamedSql select, NamedSql claim, NamedSql writeBack, Acceptor acceptor,
                        WriteBackQueue queue, Function<String, Optional<String>> sourceOfMessage,
                        java.util.function.Consumer<String> skippedMetric) {
        this.skippedMetric = skippedMetric;
        this.legacy = legacy;
        this.select = select;
        this.claim = claim;
        this.writeBack = writeBack;
        this.acceptor = acceptor;
        this.queue = queue;
        this.sourceOfMessage = sourceOfMessage;
    }

    /** One poll; returns how many rows it took that were new to the gateway (0 when there was nothing new). */
    public int poll() throws SQLException {
        try (Connection c = legacy.getConnection()) {
            c.setAutoCommit(false);
            try {
                return take(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private int take(Connection c) throws SQLException {
        List<LegacyRow> rows = select(c);
        // a row skipped after failed tries waits for its next try: not stored again, not claimed (SPEC 9)
        rows.removeIf(this::isSkipped);
        List<WriteBackQueue.Pending> owed = new ArrayList<>();
        int fresh = 0;
        int rejected = 0;
        // every row's item goes to the store at once (they share the store writer's transactions); claims follow in order
        List<java.util.concurrent.CompletableFuture<AcceptResult>> accepted = new ArrayList<>(rows.size());
        for (LegacyRow row : rows) {
            accepted.add(acceptor.acceptAsync(List.of(RequestDocument.Item.of(0, row.document())), row.source(), row.key()));
        }
        for (int i = 0; i < rows.size(); i++) {
            LegacyRow row = rows.get(i);
            Outcome outcome;
            try {
                outcome = outcome(row, joined(accepted.get(i)));
            } catch (RuntimeException e) {
                // the store could not be written: keep what was taken, leave this row and the rest for the next poll
                commit(c, owed);
                throw new PollerException("row " + row.source() + " was not stored and stays for the next poll"
                        + " (the rows before it were taken): " + e.getMessage(), e);
            }
            Savepoint savepoint = c.setSavepoint();
            String step = "gateway.poller.claim";
            try {
                Map<String, SqlValue> values = outcome.values(row);
                claim.execute(c, values);
                if (outcome.writeBackNow() && writeBack != null) {
                    step = "gateway.poller.write-back";
                    writeBack.execute(c, values);
                }
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                // a connection that cannot even roll back is the database's problem: the poll ends (rollback throws)
                c.rollback(savepoint);
                failed(row, step, e);
                continue;
            }
            boolean hadFailed = failures.remove(row.source()) != null;
            if (skipped.remove(row.source()) != null || hadFailed) {
                LOG.info("row {} taken after failed tries", LogText.safe(row.source()));
            }
            if (outcome.messageId() != null && outcome.writeBackLater() && writeBack != null) {
                owed.add(new WriteBackQueue.Pending(outcome.messageId(), row));
            }
            if (outcome.readAgain()) {
                LOG.warn("row {} was read again: its item is already stored as {} (an earlier poll's claim did not commit,"
                        + " or gateway.poller.claim does not take the row out of gateway.poller.select)", LogText.safe(row.source()), outcome.messageId());
            } else {
                fresh++;
                rejected += outcome.status() == Status.REJECTED ? 1 : 0;
            }
        }
        commit(c, owed);
        if (!rows.isEmpty()) {
            LOG.info("legacy database: took {} row(s), {} new, {} rejected", rows.size(), fresh, rejected);
        }
        return fresh;
    }

    /** A row skipped after its failed tries waits for its next try; the rows after it go on either way. */
    private boolean isSkipped(LegacyRow row) {
        Long next = skipped.get(row.source());
        return next != null && System.nanoTime() - next < 0;
    }

    /** The row stays unclaimed; after TRIES failed polls it is skipped and reported (SPEC 9). */
    private void failed(LegacyRow row, String step, Exception e) {
        int tries = failures.merge(row.source(), 1, Integer::sum);
        if (tries < TRIES) {
            LOG.warn("{} failed for row {} (try {} of {}); it stays for the next poll, the rows after it go on: {}", step,
                    LogText.safe(row.source()), tries, TRIES, LogText.safe(e.getMessage()));
            return;
        }
        boolean first = skipped.put(row.source(), System.nanoTime() + RETRY_SKIPPED_NANOS) == null;
        if (first) {
            skippedMetric.accept(step);
            LOG.error("row {} skipped: {} failed {} times (last: {}); the rows after it go on, it is tried again every 10"
                    + " minutes (fix the row or the SQL)", LogText.safe(row.source()), step, tries, LogText.safe(e.getMessage()));
        } else {
            LOG.warn("row {} still fails ({}), skipped for another 10 minutes: {}", LogText.safe(row.source()), step,
                    LogText.safe(e.getMessage()));
        }
    }

    /**
     * Records the write-backs owed to the claimed rows in the store, then commits the claims: a claim never commits
     * without its record. If the record fails the claims roll back, and the rows are read again (and recognised).
     */
    private void commit(Connection c, List<WriteBackQueue.Pending> owed) throws SQLException {
        queue.addAll(owed);
        c.commit();
    }

    private List<LegacyRow> select(Connection c) throws SQLException {
        List<LegacyRow> rows = new ArrayList<>();
        try (PreparedStatement ps = select.prepare(c, Map.of()); ResultSet rs = ps.executeQuery()) {
            RowDocuments documents = RowDocuments.of(rs.getMetaData());
            while (rs.next()) {
                rows.add(documents.read(rs));
            }
        }
        return rows;
    }

    private static AcceptResult joined(java.util.concurrent.CompletableFuture<AcceptResult> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** What became of a row's item, and what its claim and write-back are told. */
    private Outcome outcome(LegacyRow row, AcceptResult result) {
        if (!result.documentProblems().isEmpty() || result.items().isEmpty()) {
            return new Outcome(null, Status.REJECTED, words(result.documentProblems()), false);
        }
        AcceptResult.ItemResult item = result.items().get(0);
        return switch (item.status()) {
            // a scheduled one (sendAt ahead) is stored like any other: the row is claimed QUEUED, its outcome comes later
            case QUEUED, SCHEDULED -> new Outcome(item.id(), Status.QUEUED, null, false);
            case DUPLICATE -> {
                Optional<String> original = sourceOfMessage.apply(item.id());
                if (original.isPresent() && original.get().equals(row.source())) {
                    // this row again (the last poll stored it but did not commit its claim): claim it, and write its
                    // message's outcome back once it is finished, even if that was done before
                    yield new Outcome(item.id(), Status.QUEUED, null, true);
                }
                yield new Outcome(item.id(), Status.DUPLICATE, "duplicate of message " + item.id()
                        + original.map(s -> " from " + s).orElse(""), false);
            }
            default -> new Outcome(item.id(), Status.REJECTED, words(item.problems()), false);
        };
    }

    /** Problems in words, for the row's reason column. */
    static String words(List<Problem> problems) {
        return Problem.inWords(problems);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback after a failed poll failed too", e);
        }
    }

    /**
     * @param messageId the message the row's item is (or duplicates); null when the row was refused whole
     * @param readAgain the row's item was stored by an earlier poll whose claim did not commit
     */
    private record Outcome(String messageId, Status status, String reason, boolean readAgain) {

        boolean writeBackNow() {
            return status == Status.REJECTED || status == Status.DUPLICATE;
        }

        boolean writeBackLater() {
            return status == Status.QUEUED;
        }

        Map<String, SqlValue> values(LegacyRow row) {
            return Map.of("id", row.keyValue(), "status", SqlValue.text(status.name()), "unique", SqlValue.text(null),
                    "reason", SqlValue.text(reason));
        }
    }

    /** A poll stopped at a row; the message says which, and that it stays for the next poll. */
    public static final class PollerException extends RuntimeException {
        PollerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
