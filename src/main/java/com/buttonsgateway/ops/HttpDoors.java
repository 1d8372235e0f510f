package com.buttonsgateway.ops;

import com.buttonsgateway.request.LogText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP door bounded (SPEC 9), in front of every route of the gateway's one Vert.x server, before any body is read.
 *
 * <p>platform-http reads a whole body (Vert.x's BodyHandler, one limit for all routes: {@code camel.server.maxBodySize})
 * before a route runs, so a route cannot refuse a large body itself. This handler runs first on every request: a
 * {@code Content-Length} over the path's limit is answered {@code 413} at once, without reading; any other body
 * (chunked too) is read here and cut off with {@code 413} the moment it passes the limit; a body that sends nothing
 * for the idle timeout is answered {@code 408} and its connection closed. The body read here is handed on as the
 * request's body, so platform-http's BodyHandler has nothing left to read. Limits: {@code /api/*}
 * gateway.inbox.max-file-bytes plus a margin, everything else (webhook, sandbox, health) 64 KB. HTTP/2 (cleartext,
 * by upgrade) is checked on its declared length only, see {@link #bodies}.
 *
 * <p>It also guards Camel's health endpoint (SPEC 9): anyone gets the status ({@code 200 UP} / {@code 503 DOWN});
 * only a caller with the admin token reaches Camel's own answer with its checks, data and stack traces.
 */
public final class HttpDoors implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDoors.class);

    /** The webhook's limit (SPEC 6) and every other door's except /api/* (SPEC 9). */
    public static final long SMALL_LIMIT = 64 * 1024;
    /** Room around an /api/* document of gateway.inbox.max-file-bytes: a slightly larger one is refused by the document rules, naming the key. */
    public static final long API_MARGIN = 64 * 1024;
    /** After a refusal the rest of a body is read and dropped for this long (so the client sees the answer, not a reset), then the connection is closed. */
    static final long LINGER_MILLIS = 2_000;
    /** Before every route's own handlers (Vert.x runs routes in this order). */
    static final int ORDER = -1_000;

    private final CamelContext context;
    private final long apiLimit;
    private final long idleMillis;
    private final byte[] adminBearer;
    private final Set<String> healthPaths;
    private final AtomicBoolean installed = new AtomicBoolean();

    /**
     * @param maxFileBytes gateway.inbox.max-file-bytes (the largest document /api/messages takes)
     * @param idleMillis   gateway.http.idle-timeout-ms: a body that sends nothing for this long is dropped
     * @param adminToken   gateway.admin.token: health details only with it
     * @param healthPath   camel.management.health-path
     */
    public HttpDoors(CamelContext context, long maxFileBytes, long idleMillis, String adminToken, String healthPath) {
        this.context = context;
        this.apiLimit = maxFileBytes + API_MARGIN;
        this.idleMillis = idleMillis;
        this.adminBearer = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
        this.healthPaths = Set.of(healthPath, healthPath + "/", healthPath + "/live", healthPath + "/ready");
    }

    /** The largest body a path takes. */
    long limit(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/")) ? apiLimit : SMALL_LIMIT;
    }

    // ------------------------------------------------------------------ installing in front of the routes

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
        install();
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
        if (!install()) {
            throw new IllegalStateException("no platform-http server found to bound: HTTP bodies would be read without a limit"
                    + " (camel.server.enabled must be true)");
        }
    }

    /** Adds the two handlers to every platform-http router (the main server's, and the management server's when it has its own port). */
    private boolean install() {
        if (installed.get()) {
            return true;
        }
        Set<VertxPlatformHttpRouter> routers = context.getRegistry().findByType(VertxPlatformHttpRouter.class);
        if (routers.isEmpty() || !installed.compareAndSet(false, true)) {
            return installed.get();
        }
        for (VertxPlatformHttpRouter router : routers) {
            router.route().order(ORDER).handler(this::bodies);
            router.route().order(ORDER + 1).handler(this::health);
        }
        LOG.debug("HTTP bodies bounded: /api/* {} bytes, other paths {} bytes, idle timeout {} ms", apiLimit, SMALL_LIMIT, idleMillis);
        return true;
    }

    // ------------------------------------------------------------------ bodies

    void bodies(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long limit = limit(request.path());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        boolean chunked = http2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        if (length != null) {
            long declared = contentLength(length);
            if (declared < 0) {
                refuse(ctx, 400, "Content-Length is not a number");
                return;
            }
            if (declared > limit) {
                refuse(ctx, 413, "body larger than " + limit + " bytes (this path's limit)");
                return;
            }
        } else if (!chunked) {
            ctx.next(); // no body
            return;
        }
        if (request.isEnded()) {
            ctx.next();
            return;
        }
        if (http2) {
            // an HTTP/2 request (h2c) cannot be handed on once read here: platform-http resumes it, which Vert.x refuses
            // for a request already read. Its declared length was checked above (Netty holds the data to it); without
            // one, only /api/* may send its body, bounded by camel.server.maxBodySize
            if (length == null && limit < apiLimit) {
                refuse(ctx, 411, "Content-Length required on this path over HTTP/2");
                return;
            }
            ctx.next();
            return;
        }
        read(ctx, limit);
    }

    /** Reads the body here, up to the limit, dropping a request that goes quiet for the idle timeout. */
    private void read(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        AtomicBoolean finished = new AtomicBoolean();
        long[] lastData = {System.nanoTime()};
        request.handler(chunk -> {
            if (finished.get()) {
                return;
            }
            lastData[0] = System.nanoTime();
            if (body.length() + (long) chunk.length() > limit) {
                finished.set(true);
                refuse(ctx, 413, "body larger than " + limit + " bytes (this path's limit)");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> finished.set(true));
        request.endHandler(v -> {
            if (finished.compareAndSet(false, true)) {
                RoutingContextInternal internal = (RoutingContextInternal) ctx;
                internal.setBody(body);
                // platform-http's BodyHandler then finds the body read and goes on
                internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
                ctx.next();
            }
        });
        watchIdle(ctx, finished, lastData);
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue") && request.version() != HttpVersion.HTTP_1_0) {
            ctx.response().writeContinue();
        }
        request.resume();
    }

    private void watchIdle(RoutingContext ctx, AtomicBoolean finished, long[] lastData) {
        long idleFor = (System.nanoTime() - lastData[0]) / 1_000_000;
        long wait = Math.max(1, idleMillis - idleFor);
        ctx.vertx().setTimer(wait, t -> {
            if (finished.get()) {
                return;
            }
            if ((System.nanoTime() - lastData[0]) / 1_000_000 >= idleMillis && finished.compareAndSet(false, true)) {
                LOG.debug("{} {}: no body data for {} ms, dropped", ctx.request().method(), LogText.safe(ctx.request().path()), idleMillis);
                refuse(ctx, 408, "no body data for " + idleMillis + " ms (gateway.http.idle-timeout-ms)");
            } else {
                watchIdle(ctx, finished, lastData);
            }
        });
    }

    /** Answers at once and closes the connection, after reading and dropping what the client still sends for a moment. */
    private void refuse(RoutingContext ctx, int status, String message) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (!response.headWritten()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            if (http1) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
            }
            response.end("{\"status\":\"FAIL\",\"message\":\"" + message + "\"}");
        }
        if (!http1) {
            return;
        }
        // lingering close: a client still sending would get a reset that can swallow the answer before it reads it
        if (!request.isEnded()) {
            request.handler(dropped -> { });
            request.endHandler(v -> request.connection().close());
            request.resume();
        }
        ctx.vertx().setTimer(LINGER_MILLIS, t -> request.connection().close());
    }

    private static long contentLength(String header) {
        try {
            long value = Long.parseLong(header.trim());
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ health

    void health(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (request.method() != HttpMethod.GET || path == null || !healthPaths.contains(path) || admin(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next(); // the token holder gets Camel's answer, with checks, data and stack traces as asked
            return;
        }
        boolean live = path.endsWith("/live");
        boolean ready = path.endsWith("/ready");
        ctx.vertx().executeBlocking(() -> {
            Collection<HealthCheck.Result> results = live ? HealthCheckHelper.invokeLiveness(context)
                    : ready ? HealthCheckHelper.invokeReadiness(context) : HealthCheckHelper.invoke(context);
            return HealthCheckHelper.isResultsUp(results, ready);
        }, false).onComplete(outcome -> {
            boolean up = outcome.succeeded() && Boolean.TRUE.equals(outcome.result());
            ctx.response().setStatusCode(up ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\n    \"status\": \"" + (up ? "UP" : "DOWN") + "\"\n}\n");
        });
    }

    private boolean admin(String authorization) {
        return authorization != null && MessageDigest.isEqual(adminBearer, authorization.trim().getBytes(StandardCharsets.UTF_8));
    }
}
