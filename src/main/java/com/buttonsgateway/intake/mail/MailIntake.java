package com.buttonsgateway.intake.mail;

import com.buttonsgateway.request.Hashing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.intake.Acceptor;
import com.buttonsgateway.request.LogText;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.request.RequestIds;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail intake (SPEC 4.2): one mail is one source, named by its Message-ID. Its documents (JSON attachments, or
 * the text body) are parsed as request documents; the items of all of them go to the accept step in the mail's order,
 * as one list, so item indexes (and derived ids) count across the attachments (SPEC 3) and a mail read again gives
 * the same ids: duplicates. Returns when the items are stored; throws when the store failed, and then the
 * route fails and Camel leaves the mail unflagged for the next poll.
 */
public final class MailIntake {

    private static final Set<String> TRANSIENT = Set.of("FolderClosedException", "StoreClosedException", "MailConnectException",
            "FolderClosedIOException", "ConnectionException", "SocketException", "SocketTimeoutException", "ConnectException",
            "EOFException");

    private static final Logger LOG = LoggerFactory.getLogger(MailIntake.class);

    private final Acceptor acceptor;
    private final RequestDocument.Limits limits;
    private final MailSenders senders;
    private final int maxAttachments;

    /**
     * @param senders        gateway.mail.allowed-senders: mail from anyone else is logged and acknowledged, never read
     * @param maxAttachments gateway.mail.max-attachments: JSON attachments read per mail; the others are reported
     */
    public MailIntake(Acceptor acceptor, RequestDocument.Limits limits, MailSenders senders, int maxAttachments) {
        this.acceptor = acceptor;
        this.limits = limits;
        this.senders = senders;
        this.maxAttachments = maxAttachments;
    }

    public MailOutcome accept(Message mail) throws MessagingException, IOException {
        String messageId = messageId(mail);
        String sender = sender(mail);
        if (!senders.allows(sender)) {
            // SPEC 4.2: logged, acknowledged (the route succeeds: flagged seen, or deleted on POP3), never stored nor answered
            LOG.warn("mail {} from {} ignored: the sender is not in gateway.mail.allowed-senders", LogText.safe(messageId),
                    LogText.safe(sender == null ? "(no From address)" : sender));
            return new MailOutcome(messageId, mail.getSubject(), null, List.of(), null, List.of());
        }
        List<MailOutcome.Refused> refused = new ArrayList<>();
        List<RequestDocument.Item> items = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        List<MailDocuments.Document> documents;
        try {
            MailDocuments.Found found = MailDocuments.of(mail, limits.maxBytes(), maxAttachments);
            documents = found.documents();
            for (String name : found.unread()) {
                refused.add(new MailOutcome.Refused(name, List.of(new Problem("document", "too-many-attachments",
                        "not read: a mail's first " + maxAttachments + " JSON attachments are read (gateway.mail.max-attachments)"))));
            }
        } catch (MessagingException | IOException e) {
            if (transientFailure(e)) {
                throw e; // the connection to the mail server broke: the mail stays for the next poll
            }
            // a mail that cannot be parsed is invalid content: answered and acknowledged, not read forever
            documents = List.of();
            refused.add(new MailOutcome.Refused("the mail", List.of(new Problem("document", "unreadable",
                    "the mail could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"))));
        }
        if (documents.isEmpty() && refused.isEmpty()) {
            refused.add(new MailOutcome.Refused("the mail", List.of(new Problem("document", "empty",
                    "the mail has no .json attachment and no plain-text body holding a request"))));
        }
        for (MailDocuments.Document document : documents) {
            RequestDocument.Parsed parsed = RequestDocument.parse(document.bytes(), limits);
            if (!parsed.valid()) {
                refused.add(new MailOutcome.Refused(document.name(), parsed.problems()));
                continue;
            }
            for (RequestDocument.Item item : parsed.items()) {
                // numbered across the mail's documents (SPEC 3), as parsed: the accept step does not parse them again
                items.add(item.at(items.size()));
                origins.add(document.name() + (parsed.items().size() > 1 ? " item " + item.index() : ""));
            }
        }
        AcceptResult result = null;
        if (!items.isEmpty()) {
            result = acceptor.accept(items, "mail:" + messageId, RequestIds.sourceNameFromMessageId(messageId));
        }
        return new MailOutcome(messageId, mail.getSubject(), replyTo(mail), refused, result, origins);
    }

    /** The From address (the first one), or null when the mail has none. */
    static String sender(Message mail) throws MessagingException {
        Address[] from = mail.getFrom();
        if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress address) || address.getAddress() == null) {
            return null;
        }
        return address.getAddress().strip();
    }

    /** A broken connection (folder or store closed, socket error) rather than a mail that cannot be parsed. */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (TRANSIENT.contains(t.getClass().getSimpleName())) {
                return true;
            }
            if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t.getCause()
                    && transientFailure(m.getNextException())) {
                return true;
            }
        }
        return false;
    }

    /** The Message-ID; a mail without one is named by a hash of its sender, date and subject (stable on re-reading). */
    static String messageId(Message mail) throws MessagingException {
        String[] header = mail.getHeader("Message-ID");
        if (header != null && header.length > 0 && !header[0].isBlank()) {
            return header[0].strip();
        }
        String seed = String.join("|", String.valueOf(addresses(mail.getFrom())), String.valueOf(mail.getSentDate()),
                String.valueOf(mail.getSubject()));
        return "<no-message-id-" + Hashing.sha256Hex(seed, 16) + ">";
    }

    /** Reply-To, else From; null for an automatic mail (a bounce, an auto-reply, a list) so replies never loop. */
    static String replyTo(Message mail) throws MessagingException {
        String[] autoSubmitted = mail.getHeader("Auto-Submitted");
        if (autoSubmitted != null && autoSubmitted.length > 0 && !autoSubmitted[0].strip().equalsIgnoreCase("no")) {
            return null;
        }
        String[] precedence = mail.getHeader("Precedence");
        if (precedence != null && precedence.length > 0
                && List.of("bulk", "junk", "list").contains(precedence[0].strip().toLowerCase(Locale.ROOT))) {
            return null;
        }
        Address[] to = mail.getReplyTo();
        if (to == null || to.length == 0) {
            to = mail.getFrom();
        }
        if (to == null || to.length == 0 || !(to[0] instanceof InternetAddress address)
                || address.getAddress() == null || address.getAddress().isBlank()) {
            return null;
        }
        return address.getAddress();
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> list = new ArrayList<>();
        if (addresses != null) {
            for (Address a : addresses) {
                list.add(a.toString());
            }
        }
        return list;
    }
}
