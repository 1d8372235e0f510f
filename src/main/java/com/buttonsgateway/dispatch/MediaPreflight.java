package com.buttonsgateway.dispatch;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.buttonsgateway.provider.MediaCheck;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media pre-flight of SPEC 11 as a step of {@code send-message}: {@link MediaCheck} asks a media header's URL with
 * {@code HEAD} before the message's first call, which can take up to {@code gateway.media.check-timeout-ms}. It runs on
 * its own threads ({@code media-check}, gateway.dispatch.concurrency of them), after the window decision and before the
 * rate ceiling and the call slot: the claim loop, the send-message workers and the threads that read provider answers
 * never wait for it, and no call slot is held while it waits. The route goes on on that thread with the verdict in the
 * body's {@link SendJob#verdict}; a refusal is the route's {@code mediaRefused} branch.
 *
 * <p>A Camel processor by nature: the exchange waits for the check without holding a send-message thread.
 */
public final class MediaPreflight extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(MediaPreflight.class);

    private final MediaCheck check;
    private final Executor threads;

    public MediaPreflight(MediaCheck check, Executor threads) {
        this.check = check;
        this.threads = threads;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        SendJob job = exchange.getMessage().getBody(SendJob.class);
        if (job == null || job.call() == null || !job.mediaCheck() || !check.enabled()) {
            callback.done(true);
            return true;
        }
        try {
            threads.execute(() -> {
                MediaCheck.Verdict verdict;
                try {
                    verdict = "sendTemplate".equals(job.call().operation()) ? check.template(job.request()) : check.buttons(job.request());
                } catch (RuntimeException e) {
                    // a check that breaks is no refusal: the provider judges (SPEC 11)
                    verdict = unknown("the media check failed: " + e);
                }
                checked(exchange, job, verdict);
                callback.done(false);
            });
            return false;
        } catch (RejectedExecutionException e) {
            // stopping: sent unchecked rather than held
            checked(exchange, job, unknown("the media check was not run: " + e.getMessage()));
            callback.done(true);
            return true;
        }
    }

    /** UNKNOWN (no answer in time, an error) is a WARN and the message is sent for the provider to judge. */
    private static void checked(Exchange exchange, SendJob job, MediaCheck.Verdict verdict) {
        if (verdict.outcome() == MediaCheck.Verdict.Outcome.UNKNOWN) {
            LOG.warn("id={} {}", job.message().id(), verdict.reason());
        }
        exchange.getMessage().setBody(job.checked(verdict));
    }

    private static MediaCheck.Verdict unknown(String why) {
        return new MediaCheck.Verdict(MediaCheck.Verdict.Outcome.UNKNOWN, List.of(), why + "; sent anyway for the provider to judge");
    }
}
