package com.buttonsgateway.flow;

import java.util.Map;

import com.buttonsgateway.TestGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mistake in an intake's configuration stops the start with the key named, and no secret repeated. */
class IntakeConfigurationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            gateway.poller.enabled=true                                                   | configuration key gateway.poller.select must be set
            gateway.poller.enabled=true;gateway.poller.select=SELECT 1 AS id              | configuration key gateway.poller.claim must be set
            gateway.poller.enabled=true;gateway.poller.select=SELECT 1 AS id;gateway.poller.claim=UPDATE T SET S = 'P' WHERE K = :#key | unknown parameter :#key
            gateway.poller.enabled=yes                                                    | gateway.poller.enabled must be true or false
            gateway.mail.enabled=true                                                     | configuration key gateway.mail.uri must be set
            gateway.mail.enabled=true;gateway.mail.uri=smtp://h?password=hunter2-secret   | gateway.mail.uri must start with imap:, imaps:, pop3: or pop3s:
            gateway.mail.enabled=true;gateway.mail.uri=imap://h;gateway.mail.reply-errors=true | configuration key gateway.mail.smtp-uri must be set
            gateway.mail.enabled=true;gateway.mail.uri=imap://h                          | configuration key gateway.mail.allowed-senders must be set
            gateway.mail.enabled=true;gateway.mail.uri=imap://h;gateway.mail.allowed-senders=erp | gateway.mail.allowed-senders: 'erp' is neither an address
            """)
    void aMistakeStopsTheStartNamingTheKey(String settings, String message) {
        Map<String, String> properties = new java.util.HashMap<>();
        for (String setting : settings.split(";")) {
            String[] kv = setting.split("=", 2);
            properties.put(kv[0], kv[1]);
        }
        assertThatThrownBy(() -> TestGateway.start("bad-config", properties).close())
                .rootCause().hasMessageContaining(message.strip()).hasMessageNotContaining("hunter2-secret");
    }
}
