package com.buttonsgateway.provider;

import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.ValidRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The media pre-flight of SPEC 11: before a message with a media header is first sent, {@code HEAD} its URL and refuse
 * it when the answer shows a file over the provider's limit for the kind (image 5 MB, video 16 MB, document 100 MB)
 * or a {@code Content-Type} of another kind. A URL that does not answer, or answers an error, is no refusal: the
 * message is sent and the provider judges; the caller logs {@link Verdict#reason()} at WARN.
 *
 * <p>Answers are kept per URL for {@link #KEPT} (one HEAD for a batch that shares an image), at most
 * {@code maxEntries} of them, least recently used first out; checks of a URL already being asked wait for that one
 * answer. Redirects are followed by hand, so every hop is a HEAD and all of them share one deadline. Any scheme the JDK
 * client speaks is asked: the https rule of SPEC 3 is the validator's.
 */
public final class MediaCheck {

    /** How long an answer is kept (SPEC 11). */
    public static final Duration KEPT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    private static final int MAX_REDIRECTS = 5;
    private static final long MB = 1024 * 1024;
    /** Say nothing about the kind (a bucket's default), so they are treated like no Content-Type at all. */
    private static final List<String> UNSTATED_TYPES = List.of("application/octet-stream", "binary/octet-stream");

    /** The provider's media kinds: what Content-Types fit each and its size limit (provider's Send Buttons page). */
    public enum Kind {
        IMAGE("image", 5, List.of("image/jpeg", "image/png")),
        VIDEO("video", 16, List.of("video/mp4")),
        DOCUMENT("document", 100, List.of("application/pdf"));

        private final String word;
        private final long limitMb;
        private final List<String> contentTypes;

        Kind(String word, long limitMb, List<String> contentTypes) {
            this.word = word;
            this.limitMb = limitMb;
            this.contentTypes = contentTypes;
        }

        public long limitBytes() {
            return limitMb * MB;
        }

        public List<String> contentTypes() {
            return contentTypes;
        }

        /** Send Buttons {@code header}: 2 image, 3 video, 4 document. */
        public static Kind ofHeader(int header) {
            return switch (header) {
                case 2 -> IMAGE;
                case 3 -> VIDEO;
                case 4 -> DOCUMENT;
                default -> throw new IllegalArgumentException("header " + header + " has no media (2, 3 or 4 have)");
            };
        }

        /** Send Template {@code headerType}: 3 image, 4 video, 5 document. */
        public static Kind ofTemplateHeaderType(int headerType) {
            return switch (headerType) {
                case 3 -> IMAGE;
                case 4 -> VIDEO;
                case 5 -> DOCUMENT;
                default -> throw new IllegalArgumentException("template headerType " + headerType
                        + " has no media (3, 4 or 5 have)");
            };
        }
    }

    /**
     * OK (also: no media, or checks off); REFUSED with the problems for the result, each naming the field
     * ({@code headerURL} or {@code template.headerLink}) with rule {@code too-large} or {@code wrong-type}; UNKNOWN
     * with the reason for the WARN line (the message is sent anyway).
     */
    public record Verdict(Outcome outcome, List<Problem> problems, String reason) {

        public enum Outcome { OK, REFUSED, UNKNOWN }

        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        static Verdict ok() {
            return new Verdict(Outcome.OK, List.of(), null);
        }

        public boolean refused() {
            return outcome == Outcome.REFUSED;
        }
    }

    /** What one HEAD learnt: the final status, type and length; or why there was no answer ({@code failure}). */
    record Answer(int status, String contentType, Long length, String failure) {
    }

    private record Entry(Instant asked, CompletableFuture<Answer> answer) {
    }

    private final boolean enabled;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, Entry> answers;

    /**
     * @param enabled   {@code gateway.media.check}: false makes every check OK without asking
     * @param timeoutMs {@code gateway.media.check-timeout-ms}: the whole check, redirects included
     */
    public MediaCheck(boolean enabled, long timeoutMs, Clock clock) {
        this(enabled, Duration.ofMillis(positive(timeoutMs)), clock, DEFAULT_MAX_ENTRIES);
    }

    public MediaCheck(boolean enabled, Duration timeout, Clock clock, int maxEntries) {
        this(enabled, timeout, clock, maxEntries, null);
    }

    /**
     * @param tls the TLS settings of the HEAD requests, null for the JDK's default (its trust store); tests give one that
     *            trusts their own local HTTPS server, since the validator takes only https URLs (SPEC 3)
     */
    public MediaCheck(boolean enabled, Duration timeout, Clock clock, int maxEntries, javax.net.ssl.SSLContext tls) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.enabled = enabled;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
        this.answers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** {@code gateway.media.check}: false makes every check OK without asking. */
    public boolean enabled() {
        return enabled;
    }

    private static long positive(long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("gateway.media.check-timeout-ms must be a positive number of "
                    + "milliseconds");
        }
        return timeoutMs;
    }

    /** The Send Buttons media of a request ({@code headerURL}); OK when its header is 1 (none). */
    public Verdict buttons(ValidRequest request) {
        if (request.header() == 1 || request.headerURL() == null) {
            return Verdict.ok();
        }
        return headerURL(request.headerURL(), request.header());
    }

    /** The Send Template media of a request ({@code template.headerLink}); OK without a template or media. */
    public Verdict template(ValidRequest request) {
        ValidRequest.Template template = request.template();
        if (template == null || template.headerType() == 1 || template.headerLink() == null) {
            return Verdict.ok();
        }
        return headerLink(template.headerLink(), template.headerType());
    }

    /** A Send Buttons {@code headerURL} for {@code header} 2, 3 or 4. */
    public Verdict headerURL(String url, int header) {
        return check(url, Kind.ofHeader(header), "headerURL", "header is " + header);
    }

    /** A template {@code headerLink} for {@code headerType} 3, 4 or 5. */
    public Verdict headerLink(String url, int headerType) {
        return check(url, Kind.ofTemplateHeaderType(headerType), "template.headerLink",
                "template.headerType is " + headerType);
    }

    private Verdict check(String url, Kind kind, String field, String setting) {
        if (!enabled) {
            return Verdict.ok();
        }
        Answer answer = answer(url);
        if (answer.failure() != null) {
            return unknown(field, url, answer.failure());
        }
        if (answer.status() < 200 || answer.status() > 299) {
            return unknown(field, url, "answered HTTP " + answer.status());
        }
        String kindIs = (kind == Kind.IMAGE ? "an " : "a ") + kind.word + " header (" + setting + ")";
        List<Problem> problems = new ArrayList<>();
        String type = answer.contentType();
        if (type != null && !UNSTATED_TYPES.contains(type) && !kind.contentTypes.contains(type)) {
            problems.add(new Problem(field, "wrong-type", field + " answers Content-Type " + type + "; " + kindIs
                    + " must be " + String.join(" or ", kind.contentTypes)));
        }
        Long length = answer.length();
        if (length != null && length > kind.limitBytes()) {
            problems.add(new Problem(field, "too-large", field + " is " + String.format(Locale.ROOT, "%.1f", length
                    / (double) MB) + " MB (Content-Length " + length + "); " + kindIs + " may be at most "
                    + kind.limitMb + " MB (" + kind.limitBytes() + " bytes)"));
        }
        return problems.isEmpty() ? Verdict.ok() : new Verdict(Verdict.Outcome.REFUSED, problems, null);
    }

    private Verdict unknown(String field, String url, String why) {
        return new Verdict(Verdict.Outcome.UNKNOWN, List.of(), field + " not checked, sent anyway for the provider to "
                + "judge: HEAD " + shown(url) + " " + why);
    }

    /** The kept answer for {@code url}, or a new one; a check already asking it is waited for, not repeated. */
    private Answer answer(String url) {
        Instant now = clock.instant();
        Entry entry;
        boolean mine = false;
        synchronized (answers) {
            entry = answers.get(url);
            if (entry == null || !now.isBefore(entry.asked().plus(KEPT))) {
                entry = new Entry(now, new CompletableFuture<>());
                answers.put(url, entry);
                mine = true;
            }
        }
        if (mine) {
            Answer answer;
            try {
                answer = ask(url);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = new Answer(0, null, null, "was interrupted");
                forget(url, entry);
            } catch (RuntimeException e) {
                answer = new Answer(0, null, null, "failed: " + e);
            }
            entry.answer().complete(answer);
        }
        return entry.answer().join();
    }

    private void forget(String url, Entry entry) {
        synchronized (answers) {
            answers.remove(url, entry);
        }
    }

    /** HEAD, following redirects by hand (each hop a HEAD), all within one deadline. */
    private Answer ask(String url) throws InterruptedException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new Answer(0, null, null, "is not a valid URL");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return timedOut();
            }
            HttpResponse<Void> response;
            CompletableFuture<HttpResponse<Void>> call;
            try {
                HttpRequest request = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofNanos(left)).build();
                call = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            } catch (IllegalArgumentException e) {
                return new Answer(0, null, null, "cannot be asked: " + e.getMessage());
            }
            try {
                response = call.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                call.cancel(true);
                throw e;
            } catch (TimeoutException e) {
                call.cancel(true);
                return timedOut();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof HttpTimeoutException) {
                    return timedOut();
                }
                return new Answer(0, null, null, "failed: " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            }
            int status = response.statusCode();
            String location = response.headers().firstValue("Location").orElse(null);
            if (status >= 300 && status <= 399 && location != null) {
                try {
                    uri = uri.resolve(location);
                } catch (IllegalArgumentException e) {
                    return new Answer(0, null, null, "redirected to an invalid Location");
                }
                continue;
            }
            return new Answer(status, contentType(response.headers()), length(response.headers()), null);
        }
        return new Answer(0, null, null, "redirected more than " + MAX_REDIRECTS + " times");
    }

    private Answer timedOut() {
        return new Answer(0, null, null, "did not answer within " + timeout.toMillis() + " ms");
    }

    /** The media type without parameters ({@code ; charset=...}), lower case; null when absent or blank. */
    private static String contentType(HttpHeaders headers) {
        String value = headers.firstValue("Content-Type").orElse(null);
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    private static Long length(HttpHeaders headers) {
        try {
            OptionalLong length = headers.firstValueAsLong("Content-Length");
            return length.isPresent() && length.getAsLong() >= 0 ? length.getAsLong() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The URL for a log line: no user info, query or fragment, which may carry a signed link's credentials. */
    static String shown(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(an invalid URL)";
            }
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return uri.getScheme() + "://" + uri.getHost() + port + path + (uri.getRawQuery() == null ? "" : "?...");
        } catch (URISyntaxException e) {
            return "(an invalid URL)";
        }
    }
}
