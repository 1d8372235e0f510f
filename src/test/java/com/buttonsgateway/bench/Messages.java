package com.buttonsgateway.bench;

/**
 * A range of bench messages, item {@code i} being message {@code n = first + i}: the request a user hands to the
 * gateway, the provider JSON the gateway posts for it (the contact's window is closed: sendTemplate) and the key the
 * stand-in counts it by (its {@code bodyVariable1}). Warm-up messages have ids and keys of their own ({@code w-<n>},
 * {@code w<n>}), so a late warm-up call can never count as a timed one.
 */
record Messages(boolean warm, int first, int count, int contacts) {

    static final String API_KEY = "bench-key";
    static final String FROM = "972771234567";

    int n(int i) {
        return first + i;
    }

    String id(int i) {
        return (warm ? "w-" : "b-") + n(i);
    }

    String key(int i) {
        return (warm ? "w" : "") + n(i);
    }

    String to(int i) {
        return "9725" + (30_000_000 + n(i) % contacts);
    }

    String body(int i) {
        return (warm ? "warm " : "hello ") + n(i);
    }

    /** The request document of one item, as a user writes it. */
    String request(int i) {
        return "{\"id\":\"" + id(i) + "\",\"to\":\"" + to(i) + "\",\"body\":\"" + body(i)
                + "\",\"button1\":\"OK\",\"template\":{\"name\":\"t\",\"bodyVariable1\":\"" + key(i) + "\"}}";
    }

    /** A JSON array of items {@code [from, to)}. */
    String requests(int from, int to) {
        StringBuilder batch = new StringBuilder(Math.max(16, (to - from) * 130)).append('[');
        for (int i = from; i < to; i++) {
            batch.append(i == from ? "" : ",").append(request(i));
        }
        return batch.append(']').toString();
    }

    /** What the gateway posts to /sendTemplate for item i (and the bare loop posts, built before timing). */
    String providerJson(int i) {
        return "{\"apiKey\":\"" + API_KEY + "\",\"from\":\"" + FROM + "\",\"to\":\"" + to(i) + "\",\"name\":\"t\",\"headerType\":1,\"bodyVariable1\":\""
                + key(i) + "\"}";
    }
}
