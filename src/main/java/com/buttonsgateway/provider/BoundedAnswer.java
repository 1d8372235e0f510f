package com.buttonsgateway.provider;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a provider answer up to a size and a deadline (SPEC 7: answers are read up to 64 KB; a longer or
 * slower-dripping answer is a failed attempt). {@code HttpRequest.timeout} ends at the answer's headers, so the body
 * gets its own deadline; past either bound the connection is dropped (the subscription cancelled) and the call fails.
 */
final class BoundedAnswer implements HttpResponse.BodySubscriber<String> {

    /** The answer was longer than the gateway reads. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("answer longer than " + limit + " bytes");
        }
    }

    private final long limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    private BoundedAnswer(long limit, long deadlineNanos, ScheduledExecutorService timer) {
        this.limit = limit;
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        ScheduledFuture<?> deadline = timer.schedule(() -> fail(
                new HttpTimeoutException("answer not complete within the timeout (gateway.provider.timeout-ms)")), left, TimeUnit.NANOSECONDS);
        body.whenComplete((b, e) -> deadline.cancel(false));
    }

    /**
     * A handler whose answers must end within {@code timeout} of now (the POST going out) and be at most {@code limit}
     * bytes; {@code timer} runs the deadlines (it should remove cancelled tasks: most answers come in time).
     */
    static HttpResponse.BodyHandler<String> handler(long limit, Duration timeout, ScheduledExecutorService timer) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return info -> new BoundedAnswer(limit, deadline, timer);
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (body.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        synchronized (bytes) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + (long) b.remaining() > limit) {
                    fail(new TooLargeException(limit));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        synchronized (bytes) {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    private void fail(IOException error) {
        if (body.completeExceptionally(error)) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
