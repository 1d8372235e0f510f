package com.buttonsgateway.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterGroupsTest {

    @Test
    void providerReasonsAreGroupedByTheirNumberInTheProvidersWords() {
        assertThat(DeadLetterGroups.group("reason 4: to empty or wrong number format")).isEqualTo("reason 4: to empty or wrong number format");
        assertThat(DeadLetterGroups.group("reason 4: to empty or wrong number format (to: 12 is too short)"))
                .isEqualTo("reason 4: to empty or wrong number format");
        assertThat(DeadLetterGroups.group("gave up after 6 attempts: reason 6: WhatsApp error - try again"))
                .isEqualTo("reason 6: WhatsApp error - try again");
        assertThat(DeadLetterGroups.group("reason 2: the from account does not exist, or JSON syntax error; account 972779990001 "
                + "never had an OK: check 'from'")).isEqualTo("reason 2: the from account does not exist, or JSON syntax error");
    }

    @Test
    void httpAnswersAndFailedCallsLoseTheirDetails() {
        assertThat(DeadLetterGroups.group("HTTP 500: {\"oops\": 1}")).isEqualTo("HTTP 500");
        assertThat(DeadLetterGroups.group("gave up after 3 attempts: HTTP 503 with a body that is not JSON: <html>")).isEqualTo("HTTP 503");
        assertThat(DeadLetterGroups.group("gave up after 3 attempts: timeout (HttpTimeoutException: request timed out)")).isEqualTo("timeout");
        assertThat(DeadLetterGroups.group("gave up after 2 attempts: connection refused (ConnectException: x)")).isEqualTo("connection refused");
        assertThat(DeadLetterGroups.group("network error (IOException: reset)")).isEqualTo("network error");
    }

    @Test
    void otherReasonsStayAsTheyAreWithinALength() {
        assertThat(DeadLetterGroups.group("held longer than gateway.window.hold-hours without a reply"))
                .isEqualTo("held longer than gateway.window.hold-hours without a reply");
        assertThat(DeadLetterGroups.group("in flight at a crash: review")).isEqualTo("in flight at a crash: review");
        assertThat(DeadLetterGroups.group("x".repeat(300))).hasSize(123).endsWith("...");
        assertThat(DeadLetterGroups.group(null)).isEqualTo("no reason given");
        assertThat(DeadLetterGroups.group(" ")).isEqualTo("no reason given");
    }
}
