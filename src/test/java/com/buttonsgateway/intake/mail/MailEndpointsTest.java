package com.buttonsgateway.intake.mail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailEndpointsTest {

    @Test
    void imapGetsTenSecondsPeekAndTheRawMailKeepingTheUsersOptions() {
        assertThat(MailEndpoints.consumerUri("imaps://imap.example.com?username=orders&password=s3cret&peek=false&folderName=WA"))
                .isEqualTo("imaps://imap.example.com?username=orders&password=s3cret&folderName=WA&delay=10000&peek=true&mapMailMessage=false");
    }

    @Test
    void aGivenDelayIsKept() {
        assertThat(MailEndpoints.consumerUri("imap://host:143?delay=60000")).isEqualTo("imap://host:143?delay=60000&peek=true&mapMailMessage=false");
    }

    @Test
    void pop3AlwaysDeletesWhatItProcessed() {
        assertThat(MailEndpoints.consumerUri("pop3://host?username=u&password=RAW(p&ss=1)&delete=false"))
                .isEqualTo("pop3://host?username=u&password=RAW(p&ss=1)&delay=10000&peek=true&mapMailMessage=false&delete=true");
        assertThat(MailEndpoints.consumerUri("pop3s://host")).isEqualTo("pop3s://host?delay=10000&peek=true&mapMailMessage=false&delete=true");
    }

    @Test
    void otherSchemesAndEmptyUrisAreRefusedWithoutRepeatingTheUri() {
        assertThatThrownBy(() -> MailEndpoints.consumerUri("smtp://host?password=topsecret"))
                .hasMessageContaining("gateway.mail.uri").hasMessageContaining("'smtp'").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> MailEndpoints.consumerUri(""))
                .hasMessageContaining("gateway.mail.uri must be set");
    }

    @Test
    void theServerForALogLineHasNoCredentials() {
        assertThat(MailEndpoints.server("imaps://user:pw@imap.example.com:993?password=x")).isEqualTo("imaps://imap.example.com:993");
        assertThat(MailEndpoints.server("pop3://host?username=u&password=p@ss")).isEqualTo("pop3://host");
    }
}
