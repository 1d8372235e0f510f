package com.buttonsgateway.poller;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.buttonsgateway.ops.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outcome of finished messages back to the legacy rows they came from (SPEC 4.3) with
 * {@code gateway.poller.write-back}: {@code :#id} the row key, {@code :#status} SENT, DEAD or REJECTED,
 * {@code :#unique} the provider's unique, {@code :#reason} the reason in words. Driven by the store's
 * {@code gw_writeback} records, so an outcome not yet written when the gateway stops is written after the restart.
 * Writing one twice (a crash between the two databases' commits) sets the same values again.
 */
public final class LegacyWriteBack {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyWriteBack.class);
    static final int BATCH = 200;

    private final DataSource legacy;
    private final NamedSql writeBack;
    private final WriteBackQueue queue;

    /** @param writeBack {@code gateway.poller.write-back}, or null when outcomes are not written back */
    public LegacyWriteBack(DataSource legacy, NamedSql writeBack, WriteBackQueue queue) {
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
                Map<String, SqlValue> values = Map.of("id", d.key(), "status", SqlValue.text(d.status()),
                        "unique", SqlValue.text(d.unique()), "reason", SqlValue.text(d.reason()));
                try {
                    int rows = writeBack.execute(c, values);
                    if (rows == 0) {
                        LOG.warn("id={} gateway.poller.write-back changed no row for db:{}; the outcome {} is not written",
                                d.messageId(), LogText.safe(d.key().text()), d.status());
                    }
                } catch (SQLException e) {
                    LOG.warn("id={} gateway.poller.write-back failed for row db:{}; retried at the next poll: {}",
                            d.messageId(), LogText.safe(d.key().text()), e.getMessage());
                    continue;
                }
                queue.done(d.messageId());
                LOG.info("id={} {} written back to row db:{}", d.messageId(), d.status(), LogText.safe(d.key().text()));
                written++;
            }
        }
        return written;
    }
}
