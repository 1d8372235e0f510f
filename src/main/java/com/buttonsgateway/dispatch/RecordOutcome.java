package com.buttonsgateway.dispatch;

import java.util.concurrent.Executor;

import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoredMessage;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record step of {@code send-message}: writes the message's next state (and the window's move with it) in one
 * transaction, grouped with other outcomes by the store writer (DESIGN: every arrow is one transaction). A Camel
 * processor by nature: the exchange waits for the commit without a thread, and goes on after it, on the
 * {@code afterCommit} threads, with the committed row in {@code recorded}. The call's slot is given back at the commit,
 * so at most gateway.dispatch.concurrency calls are ever unrecorded (SPEC 7: what a crash can send twice).
 *
 * <p>A write that fails leaves the row SENDING: its lease runs out and recovery decides. A write fenced out (another
 * claim owns the row since this one's lease ran out) records nothing. Either way the exchange goes on without a
 * {@code recorded} row, so no result file is written for it.
 */
public final class RecordOutcome extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordOutcome.class);

    private final MessageStore store;
    private final Executor afterCommit;
    private final ProviderCircuit circuit;

    public RecordOutcome(MessageStore store, Executor afterCommit, ProviderCircuit circuit) {
        this.store = store;
        this.afterCommit = afterCommit;
        this.circuit = circuit;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        SendJob job = exchange.getMessage().getBody(SendJob.class);
        if (job == null || job.transition() == null) {
            callback.done(true);
            return true;
        }
        StoredMessage m = job.message();
        if (job.problems() != null) {
            // a refusal with problems by field (the media pre-flight, SPEC 11): rare, written at once
            try {
                exchange.getMessage().setBody(job.recorded(store.applyAndGet(m, job.transition(), job.problems())));
            } catch (RuntimeException e) {
                LOG.error("id={} could not record its refusal: {}", m.id(), e.getMessage());
            }
            callback.done(true);
            return true;
        }
        var written = store.applyLater(m, job.transition(), job.alongside());
        // a failure counted against this message is with the writer now: a give-back of the circuit may follow it (SPEC 7)
        circuit.written(m.seq());
        written.whenCompleteAsync((recorded, error) -> {
            // the outcome is committed (or could not be): the call's slot goes to the next call
            if (job.reply() != null) {
                job.reply().releaseSlot();
            }
            if (error != null) {
                LOG.error("id={} could not record the outcome of its call: {}", m.id(), error.getMessage());
            } else if (recorded == null) {
                LOG.warn("id={} outcome {} of its call not recorded: its claim was taken over after its lease ran out", m.id(),
                        job.transition().to());
            } else {
                exchange.getMessage().setBody(job.recorded(recorded));
            }
            callback.done(false);
        }, afterCommit);
        return false;
    }
}
