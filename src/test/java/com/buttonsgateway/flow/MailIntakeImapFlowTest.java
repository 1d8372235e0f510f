package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mail intake over IMAP end to end (SPEC 4.2): GreenMail in this JVM is the mail server (IMAP for the
 * intake, SMTP for the replies); mails are delivered to the gateway's mailbox and followed to their result files,
 * their flags, and the replies their senders get.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailIntakeImapFlowTest {

    static final String PASSWORD = "imap-pw-4c8e1f0b";
    static final String MAILBOX = "orders@gateway.test";

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withPerMethodLifecycle(false);

    private static GreenMailUser user;
    private static TestGateway gateway;
    private static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        user = GREENMAIL.setUser(MAILBOX, "orders", PASSWORD);
        log = LogCapture.start("mail-imap");
        gateway = TestGateway.start("mail-imap", properties());
        StoreDown.install(gateway.context().getRegistry().lookupByNameAndType("gatewayDataSource", javax.sql.DataSource.class));
    }

    static Map<String, String> properties() {
        return Map.of(
                "gateway.mail.enabled", "true",
                "gateway.mail.uri", "imap://127.0.0.1:" + GREENMAIL.getImap().getPort() + "?username=orders&password=" + PASSWORD + "&delay=300",
                "gateway.mail.reply-errors", "true",
                "gateway.mail.allowed-senders", "erp@shop.test, @partner.test",
                "gateway.mail.smtp-uri", "smtp://127.0.0.1:" + GREENMAIL.getSmtp().getPort() + "?from=" + MAILBOX,
                "gateway.template.default-name", "order_update");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        log.close();
    }

    @Test
    @Order(1)
    void aValidMailIsSentAndFlaggedSeenAndItsPasswordIsInNoLogLine() throws Exception {
        user.deliver(TestMails.text("<valid-1@erp.shop.test>", "erp@shop.test", MAILBOX, "order 1",
                "{\"to\": \"+972 50-150 0001\", \"body\": \"Your order is ready\", \"button1\": \"Today\", \"button2\": \"Tomorrow\"}"));
        List<Path> results = awaitResults("valid-1_erp.shop.test-", 1);
        JsonNode result = TestGateway.readJson(results.get(0));
        assertThat(result.path("status").asText()).isEqualTo("SENT");
        assertThat(result.path("source").asText()).isEqualTo("mail:<valid-1@erp.shop.test>");
        assertThat(result.path("id").asText()).startsWith("valid-1_erp.shop.test-0-");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("<valid-1@erp.shop.test>"));
        assertThat(log.lines()).as("log lines").isNotEmpty().noneMatch(l -> l.contains(PASSWORD));
    }

    @Test
    @Order(2)
    void aMailWithTwoJsonAttachmentsGivesTwoMessagesIndexedAcrossTheMail() throws Exception {
        user.deliver(TestMails.attachments("<two-2@erp.shop.test>", "erp@shop.test", MAILBOX, "orders 2 and 3",
                "order-2.json", "{\"to\": \"972501500002\", \"body\": \"Order 2 is ready\", \"button1\": \"OK\"}",
                "order-3.JSON", "[{\"to\": \"972501500003\", \"body\": \"Order 3 is ready\", \"button1\": \"OK\"}]"));
        List<Path> results = awaitResults("two-2_erp.shop.test-", 2);
        assertThat(results).extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.startsWith("two-2_erp.shop.test-0-")).anyMatch(n -> n.startsWith("two-2_erp.shop.test-1-"));
        for (Path file : results) {
            assertThat(TestGateway.readJson(file).path("status").asText()).isEqualTo("SENT");
        }
        assertThat(sandbox().received()).anyMatch(r -> "972501500002".equals(r.path("to").asText()))
                .anyMatch(r -> "972501500003".equals(r.path("to").asText()));
    }

    @Test
    @Order(3)
    void anInvalidMailIsLoggedAnsweredWithEveryProblemAndNotReadAgain() throws Exception {
        MimeMessage mail = TestMails.attachments("<bad-3@erp.shop.test>", "erp@shop.test", MAILBOX, "bad orders",
                "ok.json", "{\"to\": \"972501500004\", \"body\": \"Fine\", \"button1\": \"OK\"}",
                "bad.json", "{\"to\": \"12\", \"body\": \"\", \"button1\": \"OK\", \"colour\": \"red\"}",
                "broken.json", "{\"to\": ");
        mail.setReplyTo(new jakarta.mail.internet.InternetAddress[] {new jakarta.mail.internet.InternetAddress("ops@shop.test")});
        mail.saveChanges();
        user.deliver(mail);

        await().atMost(Duration.ofSeconds(20)).until(() -> !replies("ops@shop.test").isEmpty());
        MimeMessage reply = replies("ops@shop.test").get(0);
        assertThat(reply.getSubject()).isEqualTo("Re: bad orders - requests not accepted");
        assertThat(reply.getHeader("In-Reply-To")[0]).isEqualTo("<bad-3@erp.shop.test>");
        String text = reply.getContent().toString();
        assertThat(text).contains("<bad-3@erp.shop.test>").contains("Requests accepted: 1. Requests rejected: 1.")
                .contains("item 1 (bad.json").contains("to: to has 2 digits").contains("body: body must not be blank")
                .contains("colour: unknown field 'colour'").contains("broken.json refused whole").contains("document: the document is not valid JSON");
        assertThat(log.matching("mail <bad-3@erp.shop.test> not accepted in full")).singleElement().satisfies(line ->
                assertThat(line).startsWith("ERROR").contains("to: ").contains("body: ").contains("colour: ").contains("broken.json"));
        assertThat(TestGateway.readJson(awaitResults("bad-3_erp.shop.test-0-", 1).get(0)).path("status").asText()).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("<bad-3@erp.shop.test>"));
        assertThat(replies("erp@shop.test")).as("Reply-To wins over From").isEmpty();
    }

    @Test
    @Order(4)
    void aMailWhoseItemsCouldNotBeStoredStaysUnseenUntilTheStoreIsBack() throws Exception {
        StoreDown.downFor("mail:<down-4@erp.shop.test>");
        user.deliver(TestMails.text("<down-4@erp.shop.test>", "erp@shop.test", MAILBOX, "order 4",
                "{\"to\": \"972501500005\", \"body\": \"Stored on the next poll\", \"button1\": \"OK\"}"));
        // the store refuses every try of the first poll (the route's redeliveries included) and of the next one
        await().atMost(Duration.ofSeconds(20)).until(() -> StoreDown.tries("mail:<down-4@erp.shop.test>") >= 4);
        assertThat(seen("<down-4@erp.shop.test>")).isFalse();
        assertThat(TestMails.results(gateway.results(), "down-4_erp.shop.test-", ".json")).isEmpty();

        StoreDown.backFor("mail:<down-4@erp.shop.test>");
        assertThat(TestGateway.readJson(awaitResults("down-4_erp.shop.test-", 1).get(0)).path("status").asText()).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("<down-4@erp.shop.test>"));
    }

    @Test
    @Order(5)
    void aRestartDoesNotSendAProcessedMailAgainAndAReReadIsADuplicate() throws Exception {
        user.deliver(TestMails.text("<restart-5@erp.shop.test>", "erp@shop.test", MAILBOX, "order 5",
                "{\"to\": \"972501500006\", \"body\": \"Sent once\", \"button1\": \"OK\"}"));
        Path first = awaitResults("restart-5_erp.shop.test-", 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("<restart-5@erp.shop.test>"));
        gateway.close();

        gateway = TestGateway.start(gateway.home(), gateway.port(), properties());
        user.deliver(TestMails.text("<after-6@erp.shop.test>", "erp@shop.test", MAILBOX, "order 6",
                "{\"to\": \"972501500007\", \"body\": \"After the restart\", \"button1\": \"OK\"}"));
        awaitResults("after-6_erp.shop.test-", 1);
        assertThat(TestMails.results(gateway.results(), "restart-5_erp.shop.test-", ".duplicate.json")).isEmpty();

        // even read again (someone marks it unread), its item is a duplicate of the message it already is
        markUnseen("<restart-5@erp.shop.test>");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                TestMails.results(gateway.results(), "restart-5_erp.shop.test-", ".duplicate.json").size() == 1);
        assertThat(sandbox().received()).noneMatch(r -> "972501500006".equals(r.path("to").asText()));
        assertThat(TestGateway.readJson(first).path("status").asText()).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("<restart-5@erp.shop.test>"));
    }

    @Test
    @Order(6)
    void aStrangersMailIsLoggedFlaggedSeenAndNeitherStoredSentNorAnswered() throws Exception {
        user.deliver(TestMails.text("<stranger-7@evil.test>", "mallory@evil.test", MAILBOX, "order 7",
                "{\"to\": \"972501500070\", \"body\": \"Pretending to be the ERP\", \"button1\": \"OK\"}"));
        MimeMessage invalid = TestMails.text("<stranger-8@evil.test>", "mallory@evil.test", MAILBOX, "order 8", "not JSON: answer me");
        invalid.setReplyTo(new jakarta.mail.internet.InternetAddress[] {new jakarta.mail.internet.InternetAddress("victim@target.test")});
        invalid.saveChanges();
        user.deliver(invalid);

        await().atMost(Duration.ofSeconds(20)).until(() -> seen("<stranger-7@evil.test>") && seen("<stranger-8@evil.test>"));
        assertThat(log.matching("mail <stranger-7@evil.test> from mallory@evil.test ignored")).singleElement()
                .satisfies(line -> assertThat(line).startsWith("WARN").contains("gateway.mail.allowed-senders"));
        assertThat(log.matching("mail <stranger-8@evil.test> from mallory@evil.test ignored")).hasSize(1);
        assertThat(TestMails.results(gateway.results(), "stranger-", ".json")).isEmpty();
        assertThat(gateway.get("/api/messages?to=972501500070", gateway.property("gateway.admin.token")).body()).isEqualTo("[ ]");
        assertThat(sandbox().received()).noneMatch(r -> "972501500070".equals(r.path("to").asText()));
        assertThat(replies("victim@target.test")).isEmpty();
        assertThat(replies("mallory@evil.test")).isEmpty();
    }

    @Test
    @Order(7)
    void aSenderOfAnAllowedDomainIsServed() throws Exception {
        user.deliver(TestMails.text("<partner-9@partner.test>", "Sales@Partner.test", MAILBOX, "order 9",
                "{\"to\": \"972501500090\", \"body\": \"From a partner\", \"button1\": \"OK\"}"));
        assertThat(TestGateway.readJson(awaitResults("partner-9_partner.test-", 1).get(0)).path("status").asText()).isEqualTo("SENT");
    }

    @Test
    @Order(8)
    void ofElevenAttachmentsTenAreReadAndTheEleventhIsReported() throws Exception {
        String[] attachments = new String[22];
        for (int i = 0; i < 11; i++) {
            attachments[2 * i] = String.format("order-%02d.json", i + 1);
            attachments[2 * i + 1] = "{\"to\": \"9725015001" + String.format("%02d", i) + "\", \"body\": \"Order " + i + "\", \"button1\": \"OK\"}";
        }
        user.deliver(TestMails.attachments("<eleven-10@erp.shop.test>", "erp@shop.test", MAILBOX, "eleven orders", attachments));

        List<Path> results = awaitResults("eleven-10_erp.shop.test-", 10);
        for (Path file : results) {
            assertThat(TestGateway.readJson(file).path("status").asText()).isEqualTo("SENT");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !replies("erp@shop.test").isEmpty());
        assertThat(replies("erp@shop.test").get(0).getContent().toString()).contains("order-11.json refused whole")
                .contains("gateway.mail.max-attachments").contains("Requests accepted: 10.");
        assertThat(sandbox().received()).noneMatch(r -> "972501500110".equals(r.path("to").asText()));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    static List<Path> awaitResults(String idPrefix, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMails.results(gateway.results(), idPrefix, ".json").size() >= count);
        try {
            List<Path> results = TestMails.results(gateway.results(), idPrefix, ".json");
            assertThat(results).hasSize(count);
            for (Path p : results) {
                assertThat(Files.size(p)).isPositive();
            }
            return results;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SandboxProvider sandbox() {
        return gateway.context().getRegistry().lookupByNameAndType("sandbox", SandboxProvider.class);
    }

    private static StoredMessage stored(String messageId) throws Exception {
        MailFolder inbox = GREENMAIL.getManagers().getImapHostManager().getInbox(user);
        for (StoredMessage m : inbox.getMessages()) {
            if (messageId.equals(m.getMimeMessage().getMessageID())) {
                return m;
            }
        }
        throw new AssertionError("no mail " + messageId + " in the mailbox");
    }

    private static boolean seen(String messageId) throws Exception {
        return stored(messageId).isSet(Flags.Flag.SEEN);
    }

    private static void markUnseen(String messageId) throws Exception {
        stored(messageId).setFlag(Flags.Flag.SEEN, false);
    }

    private static List<MimeMessage> replies(String address) {
        return GREENMAIL.findReceivedMessages(u -> address.equals(u.getEmail()), m -> true).toList();
    }
}
