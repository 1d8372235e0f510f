package com.buttonsgateway.ops;

import java.util.Map;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who counts as a caller on this machine for the sandbox's controls (SPEC 8). */
class LocalCallerTest {

    @Test
    void loopbackAddressesAreLocalOthersAreNot() {
        assertThat(LocalCaller.local(SocketAddress.inetSocketAddress(51000, "127.0.0.1"), Map.of())).isTrue();
        assertThat(LocalCaller.local(SocketAddress.inetSocketAddress(51000, "127.8.9.10"), Map.of())).isTrue();
        assertThat(LocalCaller.local(SocketAddress.inetSocketAddress(51000, "::1"), Map.of())).isTrue();
        assertThat(LocalCaller.local("127.0.0.1:51000", Map.of())).isTrue();
        assertThat(LocalCaller.local("[::1]:51000", Map.of())).isTrue();

        assertThat(LocalCaller.local(SocketAddress.inetSocketAddress(51000, "192.0.2.2"), Map.of())).isFalse();
        assertThat(LocalCaller.local(SocketAddress.inetSocketAddress(51000, "34.165.99.212"), Map.of())).isFalse();
        assertThat(LocalCaller.local("10.0.0.5:51000", Map.of())).isFalse();
        assertThat(LocalCaller.local("localhost.evil.test", Map.of())).as("a name is never resolved").isFalse();
        assertThat(LocalCaller.local(null, Map.of())).isFalse();
    }

    @Test
    void aCallerThroughAProxyIsNotLocalEvenWhenTheProxyIs() {
        SocketAddress loopback = SocketAddress.inetSocketAddress(51000, "127.0.0.1");
        assertThat(LocalCaller.local(loopback, Map.of("X-Forwarded-For", "203.0.113.7"))).isFalse();
        assertThat(LocalCaller.local(loopback, Map.of("forwarded", "for=203.0.113.7"))).isFalse();
        assertThat(LocalCaller.local(loopback, Map.of("X-Real-IP", "203.0.113.7"))).isFalse();
        assertThat(LocalCaller.local(loopback, Map.of("Content-Type", "application/json"))).isTrue();
    }
}
