package com.buttonsgateway.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Status hooks' values (SPEC 6): known acks mapped to a word, others kept raw, never going back. */
class DeliveryStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String of(String hook) throws Exception {
        return DeliveryStatus.of(JSON.readTree(hook));
    }

    @Test
    void numericAndWordAcksAreMapped() throws Exception {
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":-1}")).isEqualTo("failed");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":\"0\"}")).isEqualTo("pending");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":1}")).isEqualTo("sent");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":\"2\"}")).isEqualTo("delivered");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":3}")).isEqualTo("read");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":4}")).isEqualTo("played");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":\"READ\"}")).isEqualTo("read");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"status\",\"ack\":\"device\"}")).isEqualTo("delivered");
        assertThat(of("{\"status\":\"OK\",\"hook\":\"ack\",\"messageStatus\":\"undelivered\"}")).isEqualTo("failed");
        // the envelope's OK is not a status: the hook's name is the last resort
        assertThat(of("{\"status\":\"OK\",\"hook\":\"delivered\"}")).isEqualTo("delivered");
    }

    @Test
    void unknownValuesAreKeptRawAndCutToTheColumn() throws Exception {
        assertThat(of("{\"hook\":\"status\",\"ack\":\"Reacted\"}")).isEqualTo("Reacted");
        assertThat(of("{\"hook\":\"status\",\"ack\":\"" + "z".repeat(300) + "\"}")).hasSize(64);
        assertThat(DeliveryStatus.raw(JSON.readTree("{\"hook\":\"status\",\"ack\":7}"))).isEqualTo("7");
    }

    @Test
    void aStatusNeverGoesBack() {
        assertThat(DeliveryStatus.replaces(null, "sent")).isTrue();
        assertThat(DeliveryStatus.replaces("sent", "delivered")).isTrue();
        assertThat(DeliveryStatus.replaces("delivered", "read")).isTrue();
        assertThat(DeliveryStatus.replaces("read", "delivered")).as("a late hook").isFalse();
        assertThat(DeliveryStatus.replaces("read", "read")).isFalse();
        assertThat(DeliveryStatus.replaces("delivered", "failed")).isTrue();
        assertThat(DeliveryStatus.replaces("read", "failed")).isFalse();
        assertThat(DeliveryStatus.replaces("failed", "delivered")).isTrue();
        // an unknown value is recorded only while nothing known is
        assertThat(DeliveryStatus.replaces(null, "Reacted")).isTrue();
        assertThat(DeliveryStatus.replaces("Reacted", "read")).isTrue();
        assertThat(DeliveryStatus.replaces("read", "Reacted")).isFalse();
    }
}
