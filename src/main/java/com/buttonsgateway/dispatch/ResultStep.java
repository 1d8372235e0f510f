package com.buttonsgateway.dispatch;

import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result step (SPEC 4.1 results, SPEC 7 dead letters): once a message's final state is committed, its result file,
 * or its dead letter, and its metrics. The store owes the file from the commit on; a crash before it is made up by
 * housekeeping ({@link Housekeeping#writeMissingResults}).
 */
public final class ResultStep {

    private static final Logger LOG = LoggerFactory.getLogger(ResultStep.class);

    private final MessageStore store;
    private final ResultFiles results;
    private final DispatchMetrics metrics;

    public ResultStep(MessageStore store, ResultFiles results, DispatchMetrics metrics) {
        this.store = store;
        this.results = results;
        this.metrics = metrics;
    }

    /** The result file of a message finished SENT or REJECTED. */
    public void result(SendJob job) {
        finished(job.recorded());
    }

    /** The dead letter of a DEAD message: a person can read it and replay it (SPEC 7). */
    public void deadLetter(SendJob job) {
        finished(job.recorded());
    }

    /**
     * A finished message's file (its result, or its dead letter when DEAD) and metrics; a file that cannot be written
     * stays owed and housekeeping tries again.
     */
    public void finished(StoredMessage done) {
        metrics.finished(done.status().name(), done.route());
        try {
            write(done);
        } catch (RuntimeException e) {
            LOG.error("id={} could not write its {}: {}", done.id(), done.status() == Status.DEAD ? "dead letter" : "result file",
                    e.getMessage());
        }
    }

    /** Writes the file and tells the store it is no longer owed. */
    void write(StoredMessage done) {
        if (done.status() == Status.DEAD) {
            results.writeDeadLetter(done);
        } else {
            results.writeResult(done);
        }
        store.resultWritten(done.seq());
    }
}
