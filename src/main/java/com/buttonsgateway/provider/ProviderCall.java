package com.buttonsgateway.provider;

/**
 * One call to the provider (SPEC 7): the operation ({@code sendButtons} or {@code sendTemplate}), its JSON body (which
 * carries the API key, and nothing else does) and the claim it is made under.
 */
public record ProviderCall(String operation, String json, String claimToken) {

    /** What {@link ProviderClient} reads its call from and hands its reply to: the send route's body. */
    public interface Carrier {
        /** The call to make, or null when there is none. */
        ProviderCall call();

        /** The body the route goes on with once the provider answered, failed or was not called. */
        Object replied(ProviderReply reply);
    }

    @Override
    public String toString() {
        return "ProviderCall[" + operation + ", claim " + claimToken + "]";
    }
}
