package com.buttonsgateway.dispatch;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.buttonsgateway.provider.MediaCheck;
import com.buttonsgateway.request.ValidRequest;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The media pre-flight of SPEC 11 as a step of {@code send-message}: {@link MediaCheck} asks a media header's URL with
 * {@code HEAD} before the message's first call, which can take up to {@code gateway.media.check-timeout-ms}. It runs on
 * its own threads ({@code media-check}, gateway.dispatch.concurrency of them), after the window decision and before the
 * rate ceiling and the call slot: the claim loop, the send-message workers and the threads that read provider answers
 * never wait for it, and no call slot is held while it waits. The route goes on on that thread with the verdict in
 * {@link #VERDICT}, which {@link Dispatcher#mediaChecked} applies.
 *
 * <p>In: {@link #REQUEST} (set by {@link Dispatcher#prepare} when a check is due) and {@link Dispatcher#CALL}.
 */
public final class MediaPreflight extends AsyncProcessorSupport implements AsyncProcessor {

    /** Exchange property: the request whose media is checked before this call; absent when no check is due. */
    public static final String REQUEST = "gatewayMediaRequest";
    /** Exchange property: the {@link MediaCheck.Verdict}. */
    public static final String VERDICT = "gatewayMediaVerdict";

    private final MediaCheck check;
    private final Executor threads;

    public MediaPreflight(MediaCheck check, Executor threads) {
        this.check = check;
        this.threads = threads;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ValidRequest request = exchange.getProperty(REQUEST, ValidRequest.class);
        String call = exchange.getProperty(Dispatcher.CALL, String.class);
        if (request == null || call == null || !check.enabled()) {
            callback.done(true);
            return true;
        }
        try {
            threads.execute(() -> {
                try {
                    exchange.setProperty(VERDICT, "sendTemplate".equals(call) ? check.template(request) : check.buttons(request));
                } catch (RuntimeException e) {
                    // a check that breaks is no refusal: the provider judges (SPEC 11)
                    exchange.setProperty(VERDICT, unknown("the media check failed: " + e));
                } finally {
                    callback.done(false);
                }
            });
            return false;
        } catch (RejectedExecutionException e) {
            // stopping: sent unchecked rather than held
            exchange.setProperty(VERDICT, unknown("the media check was not run: " + e.getMessage()));
            callback.done(true);
            return true;
        }
    }

    private static MediaCheck.Verdict unknown(String why) {
        return new MediaCheck.Verdict(MediaCheck.Verdict.Outcome.UNKNOWN, List.of(), why + "; sent anyway for the provider to judge");
    }
}
