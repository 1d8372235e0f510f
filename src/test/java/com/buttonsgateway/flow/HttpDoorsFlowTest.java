package com.buttonsgateway.flow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's HTTP doors (SPEC 8, 9): every body bounded before it is read, slow trickles dropped, health
 * details only with the admin token, the sandbox's controls for this machine or the admin token, and everything sent
 * to the sandbox marked as such. Bodies of 100 MB are generated as they are sent, never held by the test.
 */
class HttpDoorsFlowTest {

    private static final long HUNDRED_MB = 100L << 20;
    private static final int IDLE_MS = 1500;

    private static TestGateway gateway;
    private static LogCapture log;
    private static String admin;
    private static String webhook;

    @BeforeAll
    static void start() {
        log = LogCapture.start("doors");
        gateway = TestGateway.start("doors", Map.of("gateway.http.idle-timeout-ms", Integer.toString(IDLE_MS)));
        admin = gateway.property("gateway.admin.token");
        webhook = "/webhook/" + gateway.property("gateway.webhook.token");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        log.close();
    }

    // ------------------------------------------------------------------ 1. bodies bounded (SPEC 9)

    @Test
    void aHundredMegabyteBodyIsRefusedWith413BeforeItIsSentToEveryDoorAndTheGatewayGoesOnSending() throws Exception {
        long heapBefore = usedHeapAfterGc();
        for (String path : new String[] {webhook, "/api/messages", "/sandbox/inbound"}) {
            Sent sent = post(path, HUNDRED_MB, HUNDRED_MB, admin);
            assertThat(sent.status()).as(path).isEqualTo(413);
            assertThat(sent.bytesSentBeforeAnswer()).as(path + ": answered before the body was sent").isLessThan(HUNDRED_MB / 4);
            assertThat(sent.millis()).as(path).isLessThan(10_000);
        }
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth").isLessThan(48L << 20);
        assertStillSends("after-big-1");
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsCutOffAtThePathsLimit() throws Exception {
        Sent toWebhook = post(webhook, -1, HUNDRED_MB, null);
        assertThat(toWebhook.status()).isEqualTo(413);
        // cut off near 64 KB (what the sockets' buffers hold is on its way), long before camel.server.maxBodySize
        assertThat(toWebhook.bytesSentBeforeAnswer()).isLessThan(8L << 20);

        Sent toApi = post("/api/messages", -1, HUNDRED_MB, admin);
        assertThat(toApi.status()).isEqualTo(413);
        assertThat(toApi.bytesSentBeforeAnswer()).isGreaterThan(10L << 20).isLessThan(HUNDRED_MB / 2);
        assertStillSends("after-chunked-1");
    }

    @Test
    void theWebhooksLimitIs64KbAndTheApiTakesADocumentOfMaxFileBytes() throws Exception {
        assertThat(post(webhook, 64 * 1024 + 1, 64 * 1024 + 1, null).status()).isEqualTo(413);
        // an API body a little over gateway.inbox.max-file-bytes reaches the document rules, which name the key
        long justOver = 10_485_760L + 10;
        Sent overDocument = post("/api/messages", justOver, justOver, admin);
        assertThat(overDocument.status()).isEqualTo(400);
        assertThat(overDocument.answer()).contains("gateway.inbox.max-file-bytes");
    }

    @Test
    void overHttp2ByUpgradeTheDeclaredLengthIsCheckedAndSmallBodiesGoThrough() throws Exception {
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> big = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + webhook))
                .POST(HttpRequest.BodyPublishers.ofString("{\"hook\": \"" + "x".repeat(100_000) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> small = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/sandbox/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"failRate\": 0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).contains("\"failRate\":0.0");
    }

    @Test
    void aBodyThatTricklesSlowerThanTheIdleTimeoutIsDropped() throws Exception {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + webhook + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"hook\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408").contains("gateway.http.idle-timeout-ms");
            assertThat(millis).isBetween((long) IDLE_MS - 100, 15_000L);
        }
    }

    // ------------------------------------------------------------------ 2. health details only with the token (SPEC 9)

    @Test
    void healthGivesItsStatusToAnyoneAndItsDetailsOnlyWithTheAdminToken() throws Exception {
        for (String path : new String[] {"/observe/health", "/observe/health?stackTrace=true&data=true&exposureLevel=full",
                "/observe/health/ready?data=true", "/observe/health/live?exposureLevel=full"}) {
            HttpResponse<String> anonymous = gateway.get(path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(200);
            JsonNode status = TestGateway.JSON.readTree(anonymous.body());
            assertThat(status.path("status").asText()).as(path).isEqualTo("UP");
            assertThat(fieldNames(status)).as(path).containsExactly("status");
            HttpResponse<String> wrongToken = gateway.get(path, admin + "x");
            assertThat(wrongToken.body()).as(path).doesNotContain("checks");
        }

        HttpResponse<String> withToken = gateway.get("/observe/health?data=true", admin);
        assertThat(withToken.statusCode()).isEqualTo(200);
        JsonNode full = TestGateway.JSON.readTree(withToken.body());
        assertThat(full.path("checks").findValuesAsText("name")).contains("store", "dispatcher", "provider");
    }

    // ------------------------------------------------------------------ 3. the sandbox locked down and marked (SPEC 8)

    @Test
    void theSandboxsControlsAnswerThisMachineOrTheAdminTokenOnly() throws Exception {
        String faults = "{\"failRate\": 0}";
        assertThat(gateway.post("/sandbox/faults", faults, null).statusCode()).as("loopback").isEqualTo(200);

        // through a proxy on this machine the caller is not local
        HttpResponse<String> proxied = send("http://127.0.0.1:" + gateway.port() + "/sandbox/inbound",
                "{\"from\": \"972508880001\", \"body\": \"hi\"}", null, "X-Forwarded-For", "203.0.113.7");
        assertThat(proxied.statusCode()).isEqualTo(403);
        assertThat(proxied.body()).contains("gateway.admin.token");
        assertThat(send("http://127.0.0.1:" + gateway.port() + "/sandbox/faults", faults, null, "Forwarded", "for=203.0.113.7")
                .statusCode()).isEqualTo(403);
        assertThat(send("http://127.0.0.1:" + gateway.port() + "/sandbox/inbound", "{\"from\": \"972508880001\", \"body\": \"hi\"}",
                admin, "X-Forwarded-For", "203.0.113.7").statusCode()).as("proxied, with the token").isEqualTo(202);

        // from another address of this machine: not loopback
        Optional<InetAddress> lan = nonLoopbackAddress();
        Assumptions.assumeTrue(lan.isPresent(), "no non-loopback IPv4 address on this machine");
        String base = "http://" + lan.get().getHostAddress() + ":" + gateway.port();
        HttpResponse<String> remote = send(base + "/sandbox/inbound", "{\"from\": \"972508880002\", \"body\": \"hi\"}", null);
        assertThat(remote.statusCode()).isEqualTo(403);
        assertThat(send(base + "/sandbox/faults", "{\"failReason\": 3}", null).statusCode()).isEqualTo(403);
        assertThat(sandbox().lastInbound(gateway.property("gateway.provider.from"), "972508880002")).isEmpty();
        assertThat(send(base + "/sandbox/inbound", "{\"from\": \"972508880002\", \"body\": \"hi\"}", admin).statusCode()).isEqualTo(202);
        assertThat(sandbox().lastInbound(gateway.property("gateway.provider.from"), "972508880002")).isPresent();
    }

    @Test
    void everythingSentToTheSandboxIsMarkedInItsResultItsApiAnswerTheHealthCheckAndTheBanner() throws Exception {
        HttpResponse<String> accepted = gateway.post("/api/messages",
                "{\"id\": \"marked-1\", \"to\": \"972508880010\", \"body\": \"b\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}", admin);
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode result = gateway.awaitResult("marked-1");
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("sandbox").asBoolean()).isTrue();
        assertThat(TestGateway.JSON.readTree(gateway.get("/api/messages/marked-1", admin).body()).path("sandbox").asBoolean()).isTrue();

        JsonNode health = TestGateway.JSON.readTree(gateway.get("/observe/health?data=true", admin).body());
        JsonNode provider = null;
        for (JsonNode check : health.path("checks")) {
            if ("provider".equals(check.path("name").asText())) {
                provider = check;
            }
        }
        assertThat(provider).isNotNull();
        assertThat(provider.path("status").asText()).isEqualTo("UP");
        assertThat(provider.path("data").path("provider").asText()).isEqualTo("sandbox");
        assertThat(provider.path("message").asText()).contains("sandbox");

        assertThat(log.matching("PROVIDER: SANDBOX")).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    private static void assertStillSends(String id) {
        HttpResponse<String> accepted = gateway.post("/api/messages",
                "{\"id\": \"" + id + "\", \"to\": \"972508880099\", \"body\": \"still here\", \"button1\": \"OK\", \"template\": {\"name\": \"t\"}}", admin);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(gateway.awaitResult(id).path("status").asText()).isEqualTo("SENT");
    }

    /** What a streaming POST got: the answer's status and text, how much of the body went out before it came, how long it took. */
    record Sent(int status, String answer, long bytesSentBeforeAnswer, long millis) {
    }

    /**
     * POSTs {@code bodyBytes} generated bytes over a raw socket, with {@code Content-Length: contentLength} or, when it
     * is negative, chunked; stops sending as soon as the answer comes (or the server closes the connection), and reads
     * the answer to its end (the request says {@code Connection: close}).
     */
    static Sent post(String path, long contentLength, long bodyBytes, String bearer) throws Exception {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .append("Content-Type: application/json\r\nConnection: close\r\n");
            head.append(contentLength >= 0 ? "Content-Length: " + contentLength + "\r\n" : "Transfer-Encoding: chunked\r\n");
            if (bearer != null) {
                head.append("Authorization: Bearer ").append(bearer).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            AtomicBoolean answered = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                chunk[0] = '[';
                try {
                    while (sent.get() < bodyBytes && !answered.get()) {
                        int n = (int) Math.min(chunk.length, bodyBytes - sent.get());
                        if (contentLength < 0) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(chunk, 0, n);
                        if (contentLength < 0) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        sent.addAndGet(n);
                        chunk[0] = ' ';
                    }
                    if (contentLength < 0 && !answered.get()) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // the server answered and closed: what the test wants to see
                }
            }, "doors-test-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            long sentAtAnswer = sent.get();
            answered.set(true);
            StringBuilder rest = new StringBuilder();
            try {
                byte[] buffer = new byte[8192];
                for (int n; rest.length() < 65_536 && (n = in.read(buffer)) > 0; ) {
                    rest.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException reset) {
                // the connection closed under the rest of the answer
            }
            writer.join(30_000);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            return new Sent(status, rest.toString(), sentAtAnswer, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    private static HttpResponse<String> send(String url, String body, String bearer, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static SandboxProvider sandbox() {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
    }
}
