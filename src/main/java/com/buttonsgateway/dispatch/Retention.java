package com.buttonsgateway.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (SPEC 9): finished messages (SENT, REJECTED, DEAD; a duplicate is no row, its file goes with its
 * original's), webhook deliveries and their files (result, dead letter, reply) older than {@code gateway.retention.days}
 * are deleted; {@code 0} keeps everything. Deletes in batches of {@code BATCH} rows, each its own short transaction,
 * at most {@code BATCHES} a pass; runs every ten minutes (by the gateway's clock), and at every housekeeping pass
 * while a backlog is left. Files go before their row, so a crash between the two leaves a row that the next pass
 * deletes, never a file that nothing points to.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final int BATCH = 200;
    static final int BATCHES = 10;
    private static final long EVERY_MILLIS = 10 * 60_000L;
    private static final long DAY_MILLIS = 24 * 3_600_000L;

    private final MessageStore store;
    private final Hooks hooks;
    private final ResultFiles results;
    private final Path replies;
    private final Clock clock;
    private final int days;
    private long nextRun;

    public Retention(MessageStore store, Hooks hooks, ResultFiles results, Path replies, Clock clock, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("configuration key gateway.retention.days must be 0 (keep all) or more, not " + days);
        }
        this.store = store;
        this.hooks = hooks;
        this.results = results;
        this.replies = replies.toAbsolutePath().normalize();
        this.clock = clock;
        this.days = days;
    }

    /** One housekeeping pass: deletes what is older than the retention, if a run is due. Returns the rows deleted. */
    public synchronized int sweep() {
        long now = clock.millis();
        if (days == 0 || now < nextRun) {
            return 0;
        }
        long before = now - days * DAY_MILLIS;
        int messages = 0;
        int deliveries = 0;
        boolean more = false;
        for (int batch = 0; batch < BATCHES; batch++) {
            List<MessageStore.Finished> finished = store.finishedBefore(before, BATCH);
            for (MessageStore.Finished m : finished) {
                results.delete(results.resultFile(m.id()));
                results.delete(results.duplicateFile(m.id()));
                results.delete(results.deadLetterFile(m.id()));
            }
            messages += store.deleteFinished(finished, before);
            List<String> keys = hooks.receivedBefore(before, BATCH);
            keys.forEach(this::deleteReply);
            deliveries += hooks.delete(keys);
            more = finished.size() == BATCH || keys.size() == BATCH;
            if (!more) {
                break;
            }
        }
        // a backlog left over goes on at the next pass, otherwise the next run is due in ten minutes
        nextRun = more ? now : now + EVERY_MILLIS;
        if (messages > 0 || deliveries > 0) {
            LOG.info("retention: deleted {} finished messages and {} webhook deliveries older than {} days, with their files{}",
                    messages, deliveries, days, more ? " (more left for the next pass)" : "");
        }
        return messages + deliveries;
    }

    /** {@code <replies>/<unique>.json}, only when that name is a file inside the replies folder (a hook's key is untrusted). */
    private void deleteReply(String key) {
        Path file = replies.resolve(key + ".json").normalize();
        if (!file.getParent().equals(replies)) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("retention: could not delete {}: {}", file, e.getMessage());
        }
    }
}
