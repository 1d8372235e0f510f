package com.buttonsgateway.intake.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

/**
 * The request documents in a mail (SPEC 4.2): every {@code .json} attachment (or part typed
 * {@code application/json}), in the mail's order; when there is none, the plain-text body. A text body's signature
 * (after a {@code "-- "} line) is not part of the JSON. At most {@code maxBytes + 1} bytes of a part are read, so an
 * oversize part is refused by the document rules without being loaded whole, and at most {@code maxAttachments}
 * attachments are read ({@code gateway.mail.max-attachments}): the names of the others are returned, to be reported.
 */
public final class MailDocuments {

    /** One document: where it came from in the mail (an attachment's file name, or "mail text") and its bytes. */
    public record Document(String name, byte[] bytes) {
    }

    /** The documents read, and the names of the JSON attachments left unread (over gateway.mail.max-attachments). */
    public record Found(List<Document> documents, List<String> unread) {
        public Found {
            documents = List.copyOf(documents);
            unread = List.copyOf(unread);
        }
    }

    static final String TEXT = "mail text";

    private MailDocuments() {
    }

    public static List<Document> of(Part mail, long maxBytes) throws MessagingException, IOException {
        return of(mail, maxBytes, Integer.MAX_VALUE).documents();
    }

    public static Found of(Part mail, long maxBytes, int maxAttachments) throws MessagingException, IOException {
        List<Document> attachments = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        List<Part> texts = new ArrayList<>();
        collect(mail, attachments, unread, texts, maxBytes, maxAttachments);
        if (!attachments.isEmpty()) {
            return new Found(attachments, unread);
        }
        for (Part text : texts) {
            return new Found(List.of(new Document(TEXT, withoutSignature(text(text)).getBytes(StandardCharsets.UTF_8))), unread);
        }
        return new Found(List.of(), unread);
    }

    private static void collect(Part part, List<Document> attachments, List<String> unread, List<Part> texts, long maxBytes,
                                int maxAttachments) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, attachments, unread, texts, maxBytes, maxAttachments);
            }
            return;
        }
        String fileName = part.getFileName();
        boolean json = (fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".json"))
                || part.isMimeType("application/json");
        if (json) {
            String name = fileName != null ? fileName : "attachment " + (attachments.size() + unread.size() + 1);
            if (attachments.size() >= maxAttachments) {
                unread.add(name);
            } else {
                attachments.add(new Document(name, read(part, maxBytes)));
            }
        } else if (part.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            texts.add(part);
        }
    }

    private static byte[] read(Part part, long maxBytes) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1));
        }
    }

    private static String text(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s;
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text before a signature separator line ({@code "-- "}, RFC 3676). */
    static String withoutSignature(String text) {
        String normalised = text.replace("\r\n", "\n");
        int at = normalised.startsWith("-- \n") ? 0 : normalised.indexOf("\n-- \n");
        return at < 0 ? normalised : normalised.substring(0, at);
    }
}
