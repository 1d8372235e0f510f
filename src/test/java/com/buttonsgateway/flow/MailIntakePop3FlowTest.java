package com.buttonsgateway.flow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mail intake over POP3 (SPEC 4.2): POP3 has no flags, so a processed mail is deleted from the mailbox, and only
 * once its items are stored; an invalid one is answered with its problems and deleted too (never read forever).
 */
class MailIntakePop3FlowTest {

    static final String MAILBOX = "pop-orders@gateway.test";

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_POP3))
            .withPerMethodLifecycle(false);

    private static GreenMailUser user;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        user = GREENMAIL.setUser(MAILBOX, "pop-orders", "pop3-pw-90d1c2");
        gateway = TestGateway.start("mail-pop3", Map.of(
                "gateway.mail.enabled", "true",
                "gateway.mail.uri", "pop3://127.0.0.1:" + GREENMAIL.getPop3().getPort() + "?username=pop-orders&password=pop3-pw-90d1c2&delay=300",
                "gateway.mail.reply-errors", "true",
                "gateway.mail.allowed-senders", "@shop.test",
                "gateway.mail.smtp-uri", "smtp://127.0.0.1:" + GREENMAIL.getSmtp().getPort() + "?from=" + MAILBOX,
                "gateway.template.default-name", "order_update"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aValidMailIsSentAndDeletedFromTheMailbox() throws Exception {
        user.deliver(TestMails.text("<pop-1@erp.shop.test>", "erp@shop.test", MAILBOX, "order 1",
                "{\"to\": \"+972 50 160 0001\", \"body\": \"Your order is ready\", \"button1\": \"OK\"}\n-- \nThe ERP team"));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMails.results(gateway.results(), "pop-1_erp.shop.test-0-", ".json").size() == 1);
        Path file = TestMails.results(gateway.results(), "pop-1_erp.shop.test-0-", ".json").get(0);
        JsonNode result = TestGateway.readJson(file);
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("source").asText()).isEqualTo("mail:<pop-1@erp.shop.test>");
        await().atMost(Duration.ofSeconds(10)).until(() -> !inMailbox("<pop-1@erp.shop.test>"));
    }

    @Test
    void anInvalidMailIsAnsweredAndDeleted() throws Exception {
        user.deliver(TestMails.text("<pop-2@erp.shop.test>", "clerk@shop.test", MAILBOX, "please send",
                "Hello, please send the usual message to our customers. Thanks!"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !replies("clerk@shop.test").isEmpty());
        String text = replies("clerk@shop.test").get(0).getContent().toString();
        assertThat(text).contains("<pop-2@erp.shop.test>").contains("mail text refused whole")
                .contains("document: the document is not valid JSON");
        await().atMost(Duration.ofSeconds(10)).until(() -> !inMailbox("<pop-2@erp.shop.test>"));
        assertThat(TestMails.results(gateway.results(), "pop-2_erp.shop.test-", ".json")).isEmpty();
    }

    @Test
    void aStrangersMailIsDeletedAndNeitherSentNorAnswered() throws Exception {
        user.deliver(TestMails.text("<pop-3@evil.test>", "mallory@evil.test", MAILBOX, "order",
                "{\"to\": \"972501600003\", \"body\": \"Not from a sender we know\", \"button1\": \"OK\"}"));
        user.deliver(TestMails.text("<pop-4@evil.test>", "mallory@evil.test", MAILBOX, "order", "not JSON at all"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !inMailbox("<pop-3@evil.test>") && !inMailbox("<pop-4@evil.test>"));
        assertThat(TestMails.results(gateway.results(), "pop-3_evil.test-", ".json")).isEmpty();
        assertThat(replies("mallory@evil.test")).isEmpty();
    }

    private static boolean inMailbox(String messageId) throws Exception {
        for (var m : GREENMAIL.getManagers().getImapHostManager().getInbox(user).getMessages()) {
            if (messageId.equals(m.getMimeMessage().getMessageID())) {
                return true;
            }
        }
        return false;
    }

    private static List<MimeMessage> replies(String address) {
        return GREENMAIL.findReceivedMessages(u -> address.equals(u.getEmail()), m -> true).toList();
    }
}
