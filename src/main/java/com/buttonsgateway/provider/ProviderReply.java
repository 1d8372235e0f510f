package com.buttonsgateway.provider;

/**
 * How one {@link ProviderCall} ended (SPEC 7): the provider's HTTP status and answer, or the error that stopped it
 * (network, timeout, an answer over its bound), or {@code heldBack} when the provider's circuit opened while the call
 * waited for its slot and no POST was made.
 *
 * @param slot         gives the call's place among gateway.dispatch.concurrency back; run it once the outcome is
 *                     committed (running it again does nothing); null when no POST was made
 * @param startedNanos {@code System.nanoTime()} when the POST went out, 0 when none was made
 */
public record ProviderReply(int status, String body, Throwable error, boolean heldBack, long startedNanos, Runnable slot) {

    public static ProviderReply answered(int status, String body, long startedNanos, Runnable slot) {
        return new ProviderReply(status, body, null, false, startedNanos, slot);
    }

    public static ProviderReply failed(Throwable error, long startedNanos, Runnable slot) {
        return new ProviderReply(0, null, error, false, startedNanos, slot);
    }

    public static ProviderReply notCalled() {
        return new ProviderReply(0, null, null, true, 0, null);
    }

    /** Gives the call's slot back (once, whoever asks first). */
    public void releaseSlot() {
        if (slot != null) {
            slot.run();
        }
    }
}
