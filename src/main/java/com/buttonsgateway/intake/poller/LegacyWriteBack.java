package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.buttonsgateway.request.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outcome of finished messages back to the legacy rows they came from (SPEC 4.3) with
 * {@code gateway.poller.write-back}: {@code :#id} the row key, {@code :#status} SENT, DEAD or REJECTED,
 * {@code :#unique} the provider's unique, {@code :#reason} the reason in words. Driven by the store's
 * {@code gw_writeback} records, so an outcome not yet written when the gateway stops is written after the restart.
 * Writing one twice (a crash between the two databases' commits) sets the same values again.
 * <p>
 * A write-back that fails is tried again at the next polls; after {@code TRIES} failures it is skipped (SPEC 9): an
 * ERROR names the message and its row, {@code gateway_poller_skipped_total} counts it, and it is put back ten minutes
 * (then tried again), so it never holds up the write-backs behind it.
 */
public final class LegacyWriteBack {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyWriteBack.class);
    static final int BATCH = 200;

    private final DataSource legacy;
    private final NamedSql writeBack;
    private final WriteBackQueue queue;
    private final java.util.function.Consumer<String> skippedMetric;
    static final int TRIES = LegacyPoller.TRIES;
    static final long RETRY_SKIPPED_MILLIS = 10 * 60_000L;
    /** Failed tries per message id (in memory: a restart gives a failing write-back a few more tries). */
    private final Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param writeBack {@code gateway.poller.write-back}, or null when outcomes are not written back */
    public LegacyWriteBack(DataSource legacy, NamedSql writeBack, WriteBackQueue queue) {
        this(legacy, writeBack, queue, step -> { });
    }

    /** @param skippedMetric counts a write-back skipped after its failed tries */
    public LegacyWriteBack(DataSource legacy, NamedSql writeBack, WriteBackQueue queue, java.util.function.Consumer<String> skippedMetric) {
        this.skippedMetric = skippedMetric;
        this.legacy = legacy;
        this.writeBack = writeBack;
        this.queue = queue;
    }

    /** Writes back up to one batch of finished messages; returns how many rows got their outcome. */
    public int writeBack() throws SQLException {
        if (writeBack == null) {
            return 0;
        }
        List<WriteBackQueue.Due> due = queue.due(BATCH);
        if (due.isEmpty()) {
            return 0;
        }
        int written = 0;
        try (Connection c = legacy.getConnection()) {
            c.setAutoCommit(true);
            for (WriteBackQueue.Due d : due) {
                Map<String, SqlValue> values = Map.of("id", d.key(), "status", SqlValue.text(d.status().name()),
                        "unique", SqlValue.text(d.unique()), "reason", SqlValue.text(d.reason()));
                try {
                    int rows = writeBack.execute(c, values);
                    if (rows == 0) {
                        LOG.warn("id={} gateway.poller.write-back changed no row for db:{}; the outcome {} is not written",
                                d.messageId(), LogText.safe(d.key().text()), d.status());
                    }
                } catch (SQLException e) {
                    failed(d, e);
                    continue;
                }
                failures.remove(d.messageId());
                queue.done(d.messageId());
                LOG.info("id={} {} written back to row db:{}", d.messageId(), d.status(), LogText.safe(d.key().text()));
                written++;
            }
        }
        return written;
    }

    private void failed(WriteBackQueue.Due d, SQLException e) {
        int tries = failures.merge(d.messageId(), 1, Integer::sum);
        if (tries < TRIES) {
            LOG.warn("id={} gateway.poller.write-back failed for row db:{} (try {} of {}); retried at the next poll: {}",
                    d.messageId(), LogText.safe(d.key().text()), tries, TRIES, LogText.safe(e.getMessage()));
            return;
        }
        queue.postpone(d.messageId(), RETRY_SKIPPED_MILLIS);
        if (tries == TRIES) {
            skippedMetric.accept("gateway.poller.write-back");
            LOG.error("id={} write-back of {} to row db:{} skipped: gateway.poller.write-back failed {} times (last: {}); the"
                    + " write-backs after it go on, it is tried again every 10 minutes (fix the row or the SQL)",
                    d.messageId(), d.status(), LogText.safe(d.key().text()), tries, LogText.safe(e.getMessage()));
        } else {
            LOG.warn("id={} write-back to row db:{} still fails, skipped for another 10 minutes: {}", d.messageId(),
                    LogText.safe(d.key().text()), LogText.safe(e.getMessage()));
        }
    }
}
