package com.buttonsgateway.intake.mail;

import java.util.ArrayList;
import java.util.List;

import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.request.LogText;
import com.buttonsgateway.request.Problem;

/**
 * What the mail intake did with one mail (SPEC 4.2): the documents refused whole (not JSON, too large...), and what
 * the accept step did with the items of the others; the words for the ERROR log line and for the reply that lists
 * the problems.
 *
 * @param messageId the mail's Message-ID as it was given, with its {@code <>}
 * @param replyTo   where a reply goes (Reply-To, else From), or null when the mail must not be answered
 * @param refused   documents refused whole, each with its problems
 * @param result    what the accept step did with the mail's items, or null when no document had any
 * @param origins   for each item index, which document of the mail it came from and its place there
 */
public record MailOutcome(String messageId, String subject, String replyTo, List<Refused> refused, AcceptResult result,
                          List<String> origins) {

    /** A document of the mail refused whole: its name (an attachment's file name, or "mail text") and why. */
    public record Refused(String document, List<Problem> problems) {
    }

    public MailOutcome {
        refused = List.copyOf(refused);
        origins = List.copyOf(origins);
    }

    public boolean hasProblems() {
        return !refused.isEmpty() || (result != null && result.hasProblems());
    }

    public long acceptedCount() {
        return result == null ? 0 : result.acceptedCount();
    }

    /** The ERROR log line of a mail not accepted in full; the Message-ID and the problems are the sender's text, made safe for a log line. */
    public String logLine() {
        return "mail " + LogText.safe(messageId) + " not accepted in full (" + acceptedCount() + " request(s) accepted): "
                + LogText.safe(problemsInWords());
    }

    /** Every problem on one line, for the ERROR log: {@code orders.json: document: ...; item 1 (...): to: ...}. */
    public String problemsInWords() {
        List<String> parts = new ArrayList<>();
        for (String line : problemLines()) {
            parts.add(line.strip());
        }
        return String.join("; ", parts).replace(":;", ":");
    }

    private List<String> problemLines() {
        List<String> lines = new ArrayList<>();
        for (Refused r : refused) {
            lines.add(r.document() + " refused whole:");
            r.problems().forEach(p -> lines.add("  " + words(p)));
        }
        if (result != null) {
            if (!result.documentProblems().isEmpty()) {
                lines.add("the mail's requests refused whole:");
                result.documentProblems().forEach(p -> lines.add("  " + words(p)));
            }
            for (AcceptResult.ItemResult item : result.items()) {
                if (!item.accepted()) {
                    lines.add("item " + item.index() + " (" + origin(item.index()) + ", id " + item.id() + ") rejected:");
                    item.problems().forEach(p -> lines.add("  " + words(p)));
                }
            }
        }
        return lines;
    }

    private String origin(int index) {
        return index < origins.size() ? origins.get(index) : "item " + index;
    }

    private static String words(Problem p) {
        return p.field() + ": " + p.message();
    }

    public String replySubject() {
        String s = subject == null || subject.isBlank() ? "your mail" : subject.strip();
        return (s.regionMatches(true, 0, "Re:", 0, 3) ? s : "Re: " + s) + " - requests not accepted";
    }

    /** The reply's text: what was accepted, then each problem by document, item index, id and field. */
    public String replyText() {
        StringBuilder text = new StringBuilder();
        long accepted = acceptedCount();
        long rejected = result == null ? 0 : result.rejectedCount();
        text.append("Your mail ").append(messageId).append(" reached the WhatsApp buttons gateway, but not all of it could be accepted.\n\n");
        text.append("Requests accepted: ").append(accepted).append(". Requests rejected: ").append(rejected)
                .append(". Documents refused whole: ").append(refused.size() + (result != null && !result.documentProblems().isEmpty() ? 1 : 0))
                .append(".\n\n");
        for (String line : problemLines()) {
            text.append(line.startsWith("  ") ? "  - " + line.strip() : line).append('\n');
        }
        text.append("\nThe accepted requests are being sent; nothing else in this mail will be. Fix the rest and send"
                + " them in a new mail (items count from 0 across the mail's attachments).\n");
        return text.toString();
    }
}
