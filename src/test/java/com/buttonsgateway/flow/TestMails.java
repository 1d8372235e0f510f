package com.buttonsgateway.flow;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Mails as an ERP or a person sends them to the gateway's mailbox, with a chosen Message-ID. */
final class TestMails {

    private static final Session SESSION = Session.getInstance(new Properties());

    private TestMails() {
    }

    /** A mail whose text body is the JSON request document. */
    static MimeMessage text(String messageId, String from, String to, String subject, String text) throws MessagingException {
        MimeMessage mail = new FixedIdMessage(messageId);
        headers(mail, from, to, subject);
        mail.setText(text, "UTF-8");
        mail.saveChanges();
        return mail;
    }

    /** A mail with a short text and the given attachments: file name, then content, repeated. */
    static MimeMessage attachments(String messageId, String from, String to, String subject, String... nameAndContent)
            throws MessagingException {
        MimeMessage mail = new FixedIdMessage(messageId);
        headers(mail, from, to, subject);
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Requests attached.\n-- \nThe ERP", "UTF-8");
        multipart.addBodyPart(text);
        for (int i = 0; i < nameAndContent.length; i += 2) {
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                    nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8), "application/octet-stream")));
            attachment.setFileName(nameAndContent[i]);
            attachment.setDisposition(MimeBodyPart.ATTACHMENT);
            multipart.addBodyPart(attachment);
        }
        mail.setContent(multipart);
        mail.saveChanges();
        return mail;
    }

    private static void headers(MimeMessage mail, String from, String to, String subject) throws MessagingException {
        mail.setFrom(new InternetAddress(from));
        mail.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        mail.setSubject(subject);
    }

    /** The result files (not duplicates) of the items of one mail: derived ids start with its sanitised Message-ID. */
    static List<Path> results(Path resultsDir, String idPrefix, String suffix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(resultsDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(idPrefix) && f.getFileName().toString().endsWith(suffix)
                    && (suffix.equals(".duplicate.json") || !f.getFileName().toString().endsWith(".duplicate.json"))).sorted().toList();
        }
    }

    /** saveChanges() would give the mail a random Message-ID; a test wants to know it. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
