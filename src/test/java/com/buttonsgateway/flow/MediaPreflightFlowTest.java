package com.buttonsgateway.flow;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The media pre-flight of SPEC 11 end to end: messages whose header URL is asked with HEAD before their
 * first send, against a local HTTPS server (the validator takes only https URLs). The server's certificate is
 * self-signed for 127.0.0.1, made here with the JDK's keytool; the gateway's check trusts it through the
 * {@code mediaCheckTls} seam (the way a test gives the clock), nothing else about the check changes.
 */
class MediaPreflightFlowTest {

    private static final long MB = 1024 * 1024;
    private static final String ACCOUNT = "972771234567";

    private static HttpsServer server;
    private static ServerSocket silent;
    private static String base;
    private static TestGateway gateway;
    private static final Map<String, AtomicInteger> heads = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "media-tls-").toAbsolutePath();
        Path keystore = dir.resolve("media.p12");
        char[] password = "media-test".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "media", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(password), "-keypass", new String(password)).redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as("keytool: " + said).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyManagerFactory serverKeys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        serverKeys.init(keys, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(serverKeys.getKeyManagers(), null, null);
        // the gateway trusts exactly this certificate (host name checked: it is issued for 127.0.0.1)
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        serve("/flyer.jpg", "image/jpeg", 6 * MB);
        serve("/promo.mp4", "text/html; charset=utf-8", 18_000L);
        serve("/logo.png", "image/png", MB);
        server.start();
        base = "https://127.0.0.1:" + server.getAddress().getPort();
        // accepts connections (the kernel's backlog) and never answers, not even the TLS handshake
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        gateway = TestGateway.start("media", Map.of("gateway.media.check-timeout-ms", "1000"), Map.of("mediaCheckTls", clientTls));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        server.stop(0);
        silent.close();
    }

    private static void serve(String path, String type, long length) {
        server.createContext(path, exchange -> {
            heads.computeIfAbsent(exchange.getRequestMethod() + " " + path, p -> new AtomicInteger()).incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
    }

    private static int asked(String path) {
        AtomicInteger n = heads.get("HEAD " + path);
        return n == null ? 0 : n.get();
    }

    private static List<JsonNode> sentTo(String contact) {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class).received().stream()
                .filter(r -> contact.equals(r.path("to").asText())).toList();
    }

    /** The contact writes: its window is open, so the buttons message (with its headerURL) is what goes. */
    private static void writes(String contact) {
        assertThat(gateway.contactWrites(contact, "hi").statusCode()).isEqualTo(202);
        ContactWindows windows = gateway.context().getRegistry().lookupByNameAndType("contactWindows", ContactWindows.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> windows.isOpen(ACCOUNT, contact));
    }

    private static String media(String id, String contact, int header, String url) {
        return "{\"id\": \"" + id + "\", \"to\": \"" + contact + "\", \"header\": " + header + ", \"headerURL\": \"" + url
                + "\", \"body\": \"This week's offer\", \"button1\": \"Interested\"}";
    }

    @Test
    void aSixMegabyteImageIsRejectedNamingTheFieldTheSizeAndTheLimit() {
        String contact = "972507110001";
        writes(contact);
        gateway.drop("media-big.json", media("media-big", contact, 2, base + "/flyer.jpg"));
        JsonNode result = gateway.awaitResult("media-big");
        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
        assertThat(result.path("route").asText()).isEqualTo("buttons");
        assertThat(result.path("reason").asText()).isEqualTo("headerURL is 6.0 MB (Content-Length 6291456); an image header "
                + "(header is 2) may be at most 5 MB (5242880 bytes)");
        JsonNode problem = result.path("problems").get(0);
        assertThat(problem.path("field").asText()).isEqualTo("headerURL");
        assertThat(problem.path("rule").asText()).isEqualTo("too-large");
        assertThat(result.path("problems")).hasSize(1);
        assertThat(result.path("attempts").asInt()).isZero();
        assertThat(sentTo(contact)).isEmpty();
        assertThat(asked("/flyer.jpg")).isEqualTo(1);
    }

    @Test
    void aVideoUrlThatAnswersAnotherTypeIsRejected() {
        String contact = "972507110002";
        writes(contact);
        gateway.drop("media-type.json", media("media-type", contact, 3, base + "/promo.mp4"));
        JsonNode result = gateway.awaitResult("media-type");
        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
        JsonNode problem = result.path("problems").get(0);
        assertThat(problem.path("field").asText()).isEqualTo("headerURL");
        assertThat(problem.path("rule").asText()).isEqualTo("wrong-type");
        assertThat(problem.path("message").asText()).contains("Content-Type text/html").contains("video/mp4");
        assertThat(sentTo(contact)).isEmpty();
    }

    @Test
    void aTemplatesHeaderLinkIsAskedToo() {
        gateway.drop("media-template.json", """
                {"id": "media-template", "to": "972507110003", "whenClosed": "template",
                 "template": {"name": "weekly_offer", "headerType": 3, "headerLink": "%s/flyer.jpg"}}
                """.formatted(base));
        JsonNode result = gateway.awaitResult("media-template");
        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
        assertThat(result.path("route").asText()).isEqualTo("template");
        assertThat(result.path("problems").get(0).path("field").asText()).isEqualTo("template.headerLink");
        assertThat(result.path("reason").asText()).startsWith("template.headerLink is 6.0 MB")
                .contains("an image header (template.headerType is 3) may be at most 5 MB");
        assertThat(sentTo("972507110003")).isEmpty();
    }

    @Test
    void aUrlThatNeverAnswersIsNoRefusalTheMessageGoesWithAWarn() {
        String contact = "972507110004";
        writes(contact);
        String url = "https://127.0.0.1:" + silent.getLocalPort() + "/clip.mp4";
        try (LogCapture log = LogCapture.start("media-silent")) {
            Instant dropped = Instant.now();
            gateway.drop("media-silent.json", media("media-silent", contact, 3, url));
            JsonNode result = gateway.awaitResult("media-silent");
            assertThat(result.path("status").asText()).isEqualTo("SENT");
            assertThat(result.path("route").asText()).isEqualTo("buttons");
            assertThat(result.has("problems")).isFalse();
            assertThat(Duration.between(dropped, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(log.matching("id=media-silent headerURL not checked, sent anyway for the provider to judge: HEAD "
                    + url + " did not answer within 1000 ms")).hasSize(1).allMatch(l -> l.startsWith("WARN"));
        }
        assertThat(sentTo(contact)).hasSize(1);
        assertThat(sentTo(contact).get(0).path("headerURL").asText()).isEqualTo(url);
    }

    @Test
    void checksWaitingForSilentUrlsHoldUpNoOtherMessage() {
        // more slow checks than send-message has workers (8), then a message without media: it goes at once, because
        // the checks wait on the media-check threads, not on the workers or the claim loop
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 9; i++) {
            batch.append("{\"id\": \"slow-media-").append(i).append("\", \"to\": \"97250712000").append(i)
                    .append("\", \"whenClosed\": \"template\", \"template\": {\"name\": \"weekly_offer\", \"headerType\": 4, ")
                    .append("\"headerLink\": \"https://127.0.0.1:").append(silent.getLocalPort()).append("/video-").append(i).append(".mp4\"}},");
        }
        batch.append("{\"id\": \"no-media\", \"to\": \"972507120099\", \"whenClosed\": \"template\", ")
                .append("\"template\": {\"name\": \"weekly_offer\"}}]");
        gateway.drop("slow-media.json", batch.toString());
        Instant plain = Instant.parse(gateway.awaitResult("no-media").path("finishedAt").asText());
        for (int i = 0; i < 9; i++) {
            JsonNode slow = gateway.awaitResult("slow-media-" + i);
            assertThat(slow.path("status").asText()).isEqualTo("SENT");
            assertThat(Instant.parse(slow.path("finishedAt").asText())).as("slow-media-" + i).isAfter(plain);
        }
    }

    @Test
    void aFileWithinTheLimitGoesAndItsUrlIsAskedOnceForSeveralMessages() {
        String contact = "972507110005";
        writes(contact);
        gateway.drop("media-ok.json", "[" + media("media-ok-1", contact, 2, base + "/logo.png") + ","
                + media("media-ok-2", contact, 2, base + "/logo.png") + "]");
        for (String id : new String[] {"media-ok-1", "media-ok-2"}) {
            JsonNode result = gateway.awaitResult(id);
            assertThat(result.path("status").asText()).as(id).isEqualTo("SENT");
            assertThat(result.has("problems")).isFalse();
        }
        assertThat(sentTo(contact)).hasSize(2);
        // the answer is kept per URL for 10 minutes (SPEC 11)
        assertThat(asked("/logo.png")).isEqualTo(1);
    }
}
