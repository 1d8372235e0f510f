package com.buttonsgateway.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import io.vertx.core.net.SocketAddress;

/**
 * Whether an HTTP caller is on this machine (SPEC 8: the sandbox's controls answer only the loopback address or the
 * admin token). A caller that came through a proxy (a {@code Forwarded}, {@code X-Forwarded-For} or
 * {@code X-Real-IP} header) is not local, even when the proxy itself runs on this machine.
 */
public final class LocalCaller {

    /** Headers a reverse proxy adds; their presence means the TCP peer is not the real caller. */
    static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");
    /** The header platform-http (Vert.x) puts the TCP peer's address in. */
    public static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private LocalCaller() {
    }

    /** @param remote the TCP peer (a Vert.x SocketAddress, or its text); @param headers the request's headers */
    public static boolean local(Object remote, Map<String, Object> headers) {
        for (String proxy : PROXY_HEADERS) {
            if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(proxy))) {
                return false;
            }
        }
        return loopback(remote);
    }

    /** True only for an IP literal of the loopback range (127.0.0.0/8, ::1, ::ffff:127.x); never resolves a name. */
    static boolean loopback(Object remote) {
        String host;
        if (remote instanceof SocketAddress address) {
            host = address.hostAddress();
        } else if (remote != null) {
            host = remote.toString();
            int colon = host.lastIndexOf(':');
            if (host.startsWith("[")) {
                host = host.substring(1, host.indexOf(']') > 0 ? host.indexOf(']') : host.length());
            } else if (colon > 0 && host.indexOf(':') == colon) {
                host = host.substring(0, colon);
            }
        } else {
            return false;
        }
        if (host == null || host.isEmpty() || !host.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
