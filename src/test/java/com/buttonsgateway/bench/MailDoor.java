package com.buttonsgateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * The mailbox: a GreenMail IMAP server in the bench's JVM (its CPU is not the gateway's; TCP_NODELAY, see
 * {@link NoDelayGreenMail}), one request per mail, as the
 * text body (even n) or a {@code .json} attachment (odd n). {@link #prepare} builds the mails; the handover delivers
 * them to the mailbox the gateway polls ({@code delay} {@value #POLL_MS} ms).
 */
final class MailDoor implements Door {

    static final long POLL_MS = 100;
    private static final String MAILBOX = "orders@bench.test";
    private static final String PASSWORD = "bench-mail-pw";
    private static final Session SESSION = Session.getInstance(new Properties());

    private final NoDelayGreenMail greenMail;
    private final GreenMailUser user;
    private final List<MimeMessage> mails = new ArrayList<>();

    MailDoor() {
        greenMail = new NoDelayGreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        user = greenMail.setUser(MAILBOX, "orders", PASSWORD);
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("gateway.mail.enabled", "true",
                "gateway.mail.uri", "imap://127.0.0.1:" + greenMail.imapPort() + "?username=orders&password=" + PASSWORD + "&delay=" + POLL_MS,
                // may become required; the gateway ignores keys it does not know
                "gateway.mail.allowed-senders", "*");
    }

    @Override
    public String describe(int messages) {
        return "mail IMAP x" + messages + " (one request a mail, body or attachment)";
    }

    @Override
    public void prepare(Gateway gateway, Messages items) throws Exception {
        mails.clear();
        for (int i = 0; i < items.count(); i++) {
            MimeMessage mail = new FixedIdMessage("<" + items.id(i) + "." + System.nanoTime() + "@bench.test>");
            mail.setFrom(new InternetAddress("erp@bench.test"));
            mail.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
            mail.setSubject("message " + items.id(i));
            if (items.n(i) % 2 == 0) {
                mail.setText(items.request(i), "UTF-8");
            } else {
                MimeMultipart multipart = new MimeMultipart();
                MimeBodyPart text = new MimeBodyPart();
                text.setText("Request attached.\n-- \nThe ERP", "UTF-8");
                multipart.addBodyPart(text);
                MimeBodyPart attachment = new MimeBodyPart();
                attachment.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                        items.request(i).getBytes(StandardCharsets.UTF_8), "application/octet-stream")));
                attachment.setFileName(items.id(i) + ".json");
                attachment.setDisposition(MimeBodyPart.ATTACHMENT);
                multipart.addBodyPart(attachment);
                mail.setContent(multipart);
            }
            mail.saveChanges();
            mails.add(mail);
        }
    }

    @Override
    public void handOver(Gateway gateway, Messages items, long[] at) {
        for (int i = 0; i < mails.size(); i++) {
            at[i] = System.nanoTime();
            user.deliver(mails.get(i));
        }
        mails.clear();
    }

    /**
     * The mail server's own limit, for comparison: the same mails delivered to a second mailbox on the same GreenMail
     * and read by a plain Jakarta Mail client (each mail's flags, content and a SEEN flag, the least the gateway does),
     * timed from the first delivery to the last mail flagged. Returns mails per second.
     */
    double floor(Messages items) throws Exception {
        GreenMailUser floorUser = greenMail.setUser("floor@bench.test", "floor", PASSWORD);
        prepare(null, items);
        long t0 = System.nanoTime();
        for (MimeMessage mail : mails) {
            floorUser.deliver(mail);
        }
        mails.clear();
        jakarta.mail.Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", greenMail.imapPort(), "floor", PASSWORD);
        try {
            jakarta.mail.Folder inbox = store.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_WRITE);
            for (Message m : inbox.search(new jakarta.mail.search.FlagTerm(new jakarta.mail.Flags(jakarta.mail.Flags.Flag.SEEN), false))) {
                m.getFlags();
                Object content = m.getContent();
                if (content instanceof MimeMultipart multipart) {
                    for (int p = 0; p < multipart.getCount(); p++) {
                        multipart.getBodyPart(p).getInputStream().readAllBytes();
                    }
                }
                m.setFlag(jakarta.mail.Flags.Flag.SEEN, true);
            }
            inbox.close(false);
        } finally {
            store.close();
        }
        return items.count() / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /** saveChanges() would make a Message-ID from the local host's name (a DNS lookup per mail); a bench names its own. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws jakarta.mail.MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
