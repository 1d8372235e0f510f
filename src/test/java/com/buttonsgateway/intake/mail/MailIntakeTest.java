package com.buttonsgateway.intake.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.store.Status;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mail bean without Camel or a mail server: which parts are documents, how a mail is named and answered. */
class MailIntakeTest {

    /** What the mail handed to the accept step: the items as parsed, with their places in the mail. */
    private record Handed(List<RequestDocument.Item> items, String source, String sourceName) {
        List<String> texts() {
            return items.stream().map(RequestDocument.Item::text).toList();
        }
    }

    private final List<Handed> handed = new ArrayList<>();
    private final MailIntake intake = new MailIntake((items, source, name) -> {
        handed.add(new Handed(items, source, name));
        return new AcceptResult(source, List.of(new AcceptResult.ItemResult(0, name + "-0-x", Status.QUEUED, List.of())), List.of(), List.of());
    }, new RequestDocument.Limits(10_000, 100), MailSenders.parse("erp@shop.test, @partner.test"), 3);

    private static MimeMessage mail() throws Exception {
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()));
        mail.setFrom(new InternetAddress("erp@shop.test"));
        mail.setRecipient(Message.RecipientType.TO, new InternetAddress("orders@gateway.test"));
        mail.setSubject("orders");
        return mail;
    }

    private static MimeBodyPart attachment(String name, String type, String content) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(content.getBytes(StandardCharsets.UTF_8), type)));
        if (name != null) {
            part.setFileName(name);
        }
        return part;
    }

    /** The mail as a server hands it over: parsed from its bytes. */
    private static MimeMessage received(MimeMessage mail) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        mail.writeTo(bytes);
        return new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void theItemsOfAllJsonAttachmentsGoAsOneListInTheMailsOrderAndTheBodyIsIgnored() throws Exception {
        MimeMessage mail = mail();
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("{\"not\": \"a request: the attachments are\"}");
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment("a.json", "application/octet-stream", "[{\"to\": \"1\"}, {\"to\": \"2\"}]"));
        multipart.addBodyPart(attachment("notes.txt", "text/plain", "ignored"));
        multipart.addBodyPart(attachment(null, "application/json", "{\"to\": \"3\"}"));
        mail.setContent(multipart);
        mail.saveChanges();
        mail.setHeader("Message-ID", "<m-1@shop.test>");

        MailOutcome outcome = intake.accept(received(mail));

        assertThat(handed).singleElement().satisfies(h -> {
            assertThat(h.texts()).containsExactly("{\"to\":\"1\"}", "{\"to\":\"2\"}", "{\"to\":\"3\"}");
            assertThat(h.items()).extracting(RequestDocument.Item::index).as("counted across the attachments").containsExactly(0, 1, 2);
            assertThat(h.source()).isEqualTo("mail:<m-1@shop.test>");
            assertThat(h.sourceName()).isEqualTo("m-1@shop.test");
        });
        assertThat(outcome.origins()).containsExactly("a.json item 0", "a.json item 1", "attachment 2");
        assertThat(outcome.replyTo()).isEqualTo("erp@shop.test");
    }

    @Test
    void aMailWithoutMessageIdIsNamedStablyAndAnAutomaticMailIsNeverAnswered() throws Exception {
        MimeMessage mail = mail();
        mail.setText("{\"to\": \"1\"}");
        mail.setHeader("Auto-Submitted", "auto-replied");
        mail.saveChanges();
        mail.removeHeader("Message-ID");
        String first = MailIntake.messageId(mail);
        assertThat(first).matches("<no-message-id-[0-9a-f]{16}>").isEqualTo(MailIntake.messageId(mail));
        assertThat(intake.accept(mail).replyTo()).isNull();
    }

    @Test
    void aMailWithNothingToReadIsRefusedWithAProblemAndNothingIsHandedOn() throws Exception {
        MimeMessage mail = mail();
        mail.setContent("<p>hello</p>", "text/html");
        mail.saveChanges();
        MailOutcome outcome = intake.accept(mail);
        assertThat(handed).isEmpty();
        assertThat(outcome.hasProblems()).isTrue();
        assertThat(outcome.problemsInWords()).isEqualTo("the mail refused whole: document: the mail has no .json attachment and no plain-text body holding a request");
    }

    @Test
    void aMailFromASenderNotAllowedIsNeitherHandedOnNorAnswered() throws Exception {
        MimeMessage mail = mail();
        mail.setFrom(new InternetAddress("mallory@evil.test"));
        mail.setText("{\"to\": \"1\"}");
        mail.saveChanges();
        MailOutcome outcome = intake.accept(mail);
        assertThat(handed).isEmpty();
        assertThat(outcome.hasProblems()).isFalse();
        assertThat(outcome.replyTo()).isNull();
    }

    @Test
    void allowedSendersAreAddressesOrDomainsWithoutRegardToCaseAndStarMustBeSaid() {
        MailSenders senders = MailSenders.parse(" ERP@shop.test , @Partner.test ");
        assertThat(senders.allows("erp@SHOP.test")).isTrue();
        assertThat(senders.allows("anyone@partner.test")).isTrue();
        assertThat(senders.allows("erp@shop.test.evil.test")).isFalse();
        assertThat(senders.allows("x@sub.partner.test")).isFalse();
        assertThat(senders.allows(null)).isFalse();
        assertThat(MailSenders.parse("*").allows("anyone@anywhere.test")).isTrue();
        for (String bad : new String[] {"", " ", "erp", "a@b@c", "*,erp@shop.test", "@"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MailSenders.parse(bad))
                    .as(bad).hasMessageContaining("gateway.mail.allowed-senders");
        }
    }

    @Test
    void onlyTheFirstMaxAttachmentsAreReadAndTheOthersAreReported() throws Exception {
        MimeMessage mail = mail();
        MimeMultipart multipart = new MimeMultipart();
        for (int i = 1; i <= 5; i++) {
            multipart.addBodyPart(attachment("order-" + i + ".json", "application/json", "{\"to\": \"" + i + "\"}"));
        }
        mail.setContent(multipart);
        mail.saveChanges();
        MailOutcome outcome = intake.accept(received(mail));
        assertThat(handed).singleElement().satisfies(h -> assertThat(h.texts()).containsExactly("{\"to\":\"1\"}", "{\"to\":\"2\"}", "{\"to\":\"3\"}"));
        assertThat(outcome.refused()).extracting(MailOutcome.Refused::document).containsExactly("order-4.json", "order-5.json");
        assertThat(outcome.problemsInWords()).contains("order-4.json refused whole: document: not read: a mail's first 3 JSON attachments")
                .contains("gateway.mail.max-attachments");
    }

    @Test
    void aSignatureIsNotPartOfTheJson() {
        assertThat(MailDocuments.withoutSignature("{\"a\": 1}\r\n-- \r\nJohn\r\n")).isEqualTo("{\"a\": 1}");
        assertThat(MailDocuments.withoutSignature("{\"a\": \"-- \"}")).isEqualTo("{\"a\": \"-- \"}");
    }

    @Test
    void aBrokenConnectionIsTransientAMailThatCannotBeParsedIsNot() {
        assertThat(MailIntake.transientFailure(new jakarta.mail.MessagingException("fetch failed", new java.net.SocketException("reset")))).isTrue();
        assertThat(MailIntake.transientFailure(new jakarta.mail.FolderClosedException(null))).isTrue();
        assertThat(MailIntake.transientFailure(new jakarta.mail.internet.ParseException("bad header"))).isFalse();
        assertThat(MailIntake.transientFailure(new java.io.UnsupportedEncodingException("x-unknown"))).isFalse();
    }
}
