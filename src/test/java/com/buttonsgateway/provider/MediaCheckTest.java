package com.buttonsgateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.buttonsgateway.provider.MediaCheck.Verdict;
import com.buttonsgateway.provider.MediaCheck.Verdict.Outcome;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.ValidRequest;
import com.buttonsgateway.sandbox.MutableClock;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC 11's HEAD pre-flight against a real HTTP server on 127.0.0.1 (STYLE 5: real servers over mocks). */
class MediaCheckTest {

    private static final long MB = 1024 * 1024;

    private HttpServer server;
    private ServerSocket silent;
    private String base;
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private MediaCheck check;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve("/big.jpg", 200, "image/jpeg", 6 * MB, null);
        serve("/small.png", 200, "image/PNG", MB, null);
        serve("/page.mp4", 200, "text/html; charset=utf-8", 2000L, null);
        serve("/clip.mp4", 200, "video/mp4", 16 * MB, null);
        serve("/huge-page.mp4", 200, "text/html", 20 * MB, null);
        serve("/report.pdf", 200, "application/pdf; name=report.pdf", 101 * MB, null);
        serve("/untyped", 200, null, null, null);
        serve("/bucket.jpg", 200, "application/octet-stream", MB, null);
        serve("/gone.jpg", 404, "text/html", null, null);
        serve("/moved", 302, null, null, "/big.jpg");
        serve("/loop", 302, null, null, "/loop");
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        // Accepts connections (the kernel's backlog) and never answers: a URL that hangs.
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        check = new MediaCheck(true, Duration.ofMillis(2000), clock, 100);
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        silent.close();
    }

    private void serve(String path, int status, String type, Long length, String location) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            asked.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            methods.add(exchange.getRequestMethod());
            if (type != null) {
                exchange.getResponseHeaders().set("Content-Type", type);
            }
            if (length != null) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            }
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    private int asked(String path) {
        AtomicInteger count = asked.get(path);
        return count == null ? 0 : count.get();
    }

    @Test
    void aSixMegabyteImageIsRefusedNamingSizeAndLimit() {
        Verdict v = check.headerURL(base + "/big.jpg", 2);
        assertThat(v.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(v.refused()).isTrue();
        assertThat(v.problems()).containsExactly(new Problem("headerURL", "too-large", "headerURL is 6.0 MB "
                + "(Content-Length 6291456); an image header (header is 2) may be at most 5 MB (5242880 bytes)"));
        assertThat(methods).containsOnly("HEAD");
    }

    @Test
    void aVideoUrlAnsweringHtmlIsRefusedNamingTheTypes() {
        Verdict v = check.headerURL(base + "/page.mp4", 3);
        assertThat(v.problems()).containsExactly(new Problem("headerURL", "wrong-type", "headerURL answers "
                + "Content-Type text/html; a video header (header is 3) must be video/mp4"));
    }

    @Test
    void wrongTypeAndTooLargeAreBothReported() {
        assertThat(check.headerURL(base + "/huge-page.mp4", 3).problems()).extracting(Problem::rule)
                .containsExactly("wrong-type", "too-large");
    }

    @Test
    void aOneMegabytePngIsOkTypeCaseAndParametersIgnored() {
        assertThat(check.headerURL(base + "/small.png", 2)).isEqualTo(new Verdict(Outcome.OK, List.of(), null));
    }

    @Test
    void limitsAreTheProvidersPerKind() {
        assertThat(check.headerURL(base + "/clip.mp4", 3).outcome()).isEqualTo(Outcome.OK);
        Verdict pdf = check.headerLink(base + "/report.pdf", 5);
        assertThat(pdf.problems()).containsExactly(new Problem("template.headerLink", "too-large",
                "template.headerLink is 101.0 MB (Content-Length 105906176); a document header "
                        + "(template.headerType is 5) may be at most 100 MB (104857600 bytes)"));
    }

    @Test
    void noContentTypeOrLengthOrAGenericTypeIsNoRefusal() {
        assertThat(check.headerURL(base + "/untyped", 4).outcome()).isEqualTo(Outcome.OK);
        assertThat(check.headerURL(base + "/bucket.jpg", 2).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void redirectsAreFollowedWithHead() {
        assertThat(check.headerURL(base + "/moved", 2).problems()).extracting(Problem::rule)
                .containsExactly("too-large");
        assertThat(methods).containsExactly("HEAD", "HEAD");
        Verdict loop = check.headerURL(base + "/loop", 2);
        assertThat(loop.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(loop.reason()).endsWith("redirected more than 5 times");
    }

    @Test
    void anErrorAnswerIsUnknownWithAReasonForTheWarn() {
        Verdict v = check.headerLink(base + "/gone.jpg?X-Amz-Signature=s3cr3t", 3);
        assertThat(v.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(v.problems()).isEmpty();
        assertThat(v.reason()).isEqualTo("template.headerLink not checked, sent anyway for the provider to judge: "
                + "HEAD " + base + "/gone.jpg?... answered HTTP 404");
    }

    @Test
    void aUrlThatNeverAnswersIsUnknownWithinTheTimeout() {
        MediaCheck quick = new MediaCheck(true, 300, clock);
        long started = System.nanoTime();
        Verdict v = quick.headerURL("http://127.0.0.1:" + silent.getLocalPort() + "/video.mp4", 3);
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(v.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(v.reason()).endsWith("/video.mp4 did not answer within 300 ms").startsWith("headerURL");
        assertThat(tookMs).isBetween(250L, 1500L);
    }

    @Test
    void aPortNobodyListensOnIsUnknown() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Verdict v = check.headerURL("http://127.0.0.1:" + closed + "/a.png", 2);
        assertThat(v.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(v.reason()).contains("failed: ConnectException");
    }

    @Test
    void theAnswerIsKeptPerUrlForTenMinutes() {
        String url = base + "/small.png";
        check.headerURL(url, 2);
        check.headerURL(url, 2);
        check.headerLink(url, 5);
        assertThat(asked("/small.png")).isEqualTo(1);
        assertThat(check.headerLink(url, 5).problems()).extracting(Problem::rule).containsExactly("wrong-type");
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        check.headerURL(url, 2);
        assertThat(asked("/small.png")).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        check.headerURL(url, 2);
        assertThat(asked("/small.png")).isEqualTo(2);
    }

    @Test
    void aUrlThatDidNotAnswerIsNotAskedAgainEither() {
        MediaCheck quick = new MediaCheck(true, 200, clock);
        String url = "http://127.0.0.1:" + silent.getLocalPort() + "/video.mp4";
        quick.headerURL(url, 3);
        long started = System.nanoTime();
        assertThat(quick.headerURL(url, 3).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).isLessThan(150);
    }

    @Test
    void theCacheIsBounded() {
        MediaCheck two = new MediaCheck(true, Duration.ofMillis(2000), clock, 2);
        two.headerURL(base + "/small.png", 2);
        two.headerURL(base + "/big.jpg", 2);
        two.headerURL(base + "/clip.mp4", 3);
        two.headerURL(base + "/small.png", 2);
        assertThat(asked("/small.png")).isEqualTo(2);
        assertThat(asked("/clip.mp4")).isEqualTo(1);
    }

    @Test
    void switchedOffItAsksNothing() {
        MediaCheck off = new MediaCheck(false, 2000, clock);
        assertThat(off.headerURL(base + "/big.jpg", 2).outcome()).isEqualTo(Outcome.OK);
        assertThat(asked("/big.jpg")).isZero();
    }

    @Test
    void requestsWithoutMediaAreOkWithoutAsking() {
        ValidRequest none = new ValidRequest(null, "1", "2", 1, null, "b", null, List.of(), null, null, null, null,
                null, null, List.of());
        assertThat(check.buttons(none).outcome()).isEqualTo(Outcome.OK);
        assertThat(check.template(none).outcome()).isEqualTo(Outcome.OK);
        ValidRequest media = new ValidRequest(null, "1", "2", 2, base + "/big.jpg", "b", null, List.of(), null, null,
                null, null, new ValidRequest.Template("t", 4, base + "/page.mp4", List.of()), null, List.of());
        assertThat(check.buttons(media).problems()).extracting(Problem::field, Problem::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("headerURL", "too-large"));
        assertThat(check.template(media).problems()).extracting(Problem::field, Problem::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("template.headerLink", "wrong-type"));
    }

    @Test
    void headerNumbersMapToKinds() {
        assertThat(MediaCheck.Kind.ofHeader(4)).isEqualTo(MediaCheck.Kind.DOCUMENT);
        assertThat(MediaCheck.Kind.ofTemplateHeaderType(4)).isEqualTo(MediaCheck.Kind.VIDEO);
        assertThatThrownBy(() -> MediaCheck.Kind.ofHeader(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaCheck.Kind.ofTemplateHeaderType(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MediaCheck(true, 0, clock))
                .hasMessageContaining("gateway.media.check-timeout-ms");
    }

    @Test
    void shownUrlsKeepNoQueryOrUserInfo() {
        assertThat(MediaCheck.shown("https://user:pw@cdn.example:8443/a/b.jpg?sig=x#f"))
                .isEqualTo("https://cdn.example:8443/a/b.jpg?...");
        assertThat(MediaCheck.shown("not a url")).isEqualTo("(an invalid URL)");
    }
}
