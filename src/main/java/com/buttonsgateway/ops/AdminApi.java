package com.buttonsgateway.ops;

import com.buttonsgateway.dispatch.ResultFiles;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.buttonsgateway.dispatch.Replay;
import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;
import org.apache.camel.Headers;

/**
 * The admin API of SPEC 4.4, 9 and 10 ({@code /api/**}, bearer gateway.admin.token). Each method takes the request's
 * values (path and query parameters as text, as they came) and returns the answer's HTTP status and JSON; the REST DSL
 * in routes/admin-api.camel.yaml checks the token with {@link #refusal} and hands each verb to its {@code api-*}
 * route, which calls one method here.
 */
public final class AdminApi {

    /** An HTTP answer: status and JSON body. */
    public record Answer(int status, String json) {
    }

    private final ObjectMapper mapper;
    private final MessageStore store;
    private final Accounts accounts;
    private final ContactWindows windows;
    private final ResultFiles results;
    private final Replay replay;
    private final ConsoleViews console;
    private final DuplicateReports duplicates;
    private final Hooks hooks;
    private final byte[] token;

    /**
     * @param replay     queues a DEAD message again (SPEC 7)
     * @param duplicates the duplicate reports, listed for {@code status=DUPLICATE}
     */
    public AdminApi(ObjectMapper mapper, MessageStore store, Accounts accounts, ContactWindows windows, ResultFiles results,
                    Replay replay, ConsoleViews console, DuplicateReports duplicates, Hooks hooks, String adminToken) {
        this.mapper = mapper;
        this.store = store;
        this.accounts = accounts;
        this.windows = windows;
        this.results = results;
        this.replay = replay;
        this.console = console;
        this.duplicates = duplicates;
        this.hooks = hooks;
        this.token = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * 401 without the bearer token or with a wrong one; null when the call may go on. The admin API's one check (SPEC 10),
     * made for every /api call by routes/admin-api.camel.yaml; the token is compared in constant time.
     *
     * @param authorization the request's {@code Authorization} header, or null
     */
    public Answer refusal(String authorization) {
        if (authorization != null && MessageDigest.isEqual(token, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return error(401, "missing or wrong bearer token: send 'Authorization: Bearer <gateway.admin.token>'");
    }

    /**
     * The sandbox's controls ({@code /sandbox/inbound}, {@code /sandbox/faults}, SPEC 8): a caller on this machine or
     * one with the admin token; 403 for anyone else (they could fake clicks into the reply route, or pause accounts).
     * The sandbox's routes call it by name; Camel hands it the three values by the annotations.
     *
     * @param authorization the request's {@code Authorization} header, or null
     * @param remote        the TCP peer (platform-http's {@link LocalCaller#REMOTE_ADDRESS} header)
     * @param headers       the request's headers: a proxy's ({@code X-Forwarded-For}...) make the caller not local
     */
    public Answer localOrAdmin(@Header("Authorization") String authorization, @Header(LocalCaller.REMOTE_ADDRESS) Object remote,
                               @Headers Map<String, Object> headers) {
        if (refusal(authorization) == null || LocalCaller.local(remote, headers)) {
            return null;
        }
        return error(403, "the sandbox's controls answer only callers on this machine (loopback) or with"
                + " 'Authorization: Bearer <gateway.admin.token>'");
    }

    /** POST /api/messages: 202 all accepted, 207 some, 400 none (SPEC 4.4). */
    public Answer accepted(AcceptResult result) {
        return new Answer(result.httpStatus(), result.answerJson());
    }

    /** GET /api/messages/{id}: the result document, or the current status of an unfinished message. */
    public Answer message(String id) {
        return store.find(id).map(m -> new Answer(200, results.result(m).toPrettyString()))
                .orElseGet(() -> error(404, "no message with id '" + id + "'"));
    }

    /**
     * GET /api/messages?status=&to=&id=&since=&until=&limit= (SPEC 9, 10): newest first; {@code status} is any status of
     * {@link Status} (any case), {@code id} matches ids that start with it, {@code since}/{@code until} (ISO-8601) bound
     * the time it was accepted; limit 1..1000, default 100. A duplicate is no stored message: {@code status=DUPLICATE}
     * lists the duplicate reports ({@link DuplicateReports}), with the same filters.
     */
    public Answer messages(String status, String to, String limit, String id, String since, String until) {
        Integer max = wholeNumber(limit, 100, 1, 1000);
        if (max == null) {
            return error(400, "limit must be a whole number from 1 to 1000");
        }
        Status wanted = null;
        if (status != null && !status.isBlank()) {
            wanted = STATUS_NAMES.get(status.trim().toUpperCase(Locale.ROOT));
            if (wanted == null) {
                return error(400, "status must be one of " + String.join(", ", STATUS_NAMES.keySet()) + ", not '" + cut(status.trim()) + "'");
            }
        }
        Instant from = time(since);
        Instant until2 = time(until);
        if (from == INVALID || until2 == INVALID) {
            return error(400, (from == INVALID ? "since" : "until") + " must be an ISO-8601 time with an offset, e.g. 2026-11-25T18:00:00Z");
        }
        ArrayNode list = mapper.createArrayNode();
        if (wanted == Status.DUPLICATE) {
            list.addAll(duplicates.list(new DuplicateReports.Filter(blankToNull(to), blankToNull(id), millis(from), millis(until2), max)));
            return new Answer(200, list.toPrettyString());
        }
        for (StoredMessage m : store.list(new MessageStore.Filter(wanted == null ? null : wanted.name(), to, id, millis(from), millis(until2), max))) {
            ObjectNode node = results.result(m);
            node.put("contact", m.contact());
            list.add(node);
        }
        return new Answer(200, list.toPrettyString());
    }

    /** GET /api/messages/{id}/detail: the message in full for the console (request, attempts, window decision, result). */
    public Answer detail(String id) {
        return store.find(id).map(m -> new Answer(200, console.detail(m).toPrettyString()))
                .orElseGet(() -> error(404, "no message with id '" + id + "'"));
    }

    /** GET /api/stats: the console's overview (counts by status, backlog, held, scheduled, retries, latency, paused accounts). */
    public Answer stats() {
        return new Answer(200, console.stats().toPrettyString());
    }

    /** GET /api/stats/sent-per-minute?minutes=60: SENT messages per minute (by finishedAt), minutes 1..1440. */
    public Answer sentPerMinute(String minutes) {
        Integer n = wholeNumber(minutes, 60, 1, 1440);
        if (n == null) {
            return error(400, "minutes must be a whole number from 1 to 1440");
        }
        return new Answer(200, console.sentPerMinute(n).toPrettyString());
    }

    /**
     * GET /api/dead-letters?reason=&to=&since=&until=&limit=: dead messages grouped by reason ({@code groups}, of the
     * contact and time filter) and those of the {@code reason} group, newest first (limit 1..1000, default 100).
     */
    public Answer deadLetters(String reason, String to, String since, String until, String limit) {
        Integer max = wholeNumber(limit, 100, 1, 1000);
        if (max == null) {
            return error(400, "limit must be a whole number from 1 to 1000");
        }
        ConsoleViews.DeadFilter filter = deadFilter(reason, to, since, until);
        if (filter == null) {
            return error(400, "since and until must be ISO-8601 times with an offset, e.g. 2026-11-25T18:00:00Z");
        }
        return new Answer(200, console.deadLetters(filter, max).toPrettyString());
    }

    /** POST /api/dead-letters/replay?reason=&to=&since=&until=: replays every dead letter the same filter lists (SPEC 7). */
    public Answer replayDeadLetters(String reason, String to, String since, String until) {
        ConsoleViews.DeadFilter filter = deadFilter(reason, to, since, until);
        if (filter == null) {
            return error(400, "since and until must be ISO-8601 times with an offset, e.g. 2026-11-25T18:00:00Z");
        }
        ConsoleViews.Replayed done = console.replayDeadLetters(filter);
        ObjectNode node = mapper.createObjectNode();
        node.put("status", "OK");
        node.put("replayed", done.replayed());
        node.put("notReplayed", done.notReplayed());
        node.put("truncated", done.truncated());
        node.put("message", done.replayed() + " dead message" + (done.replayed() == 1 ? "" : "s") + " queued again");
        return new Answer(200, node.toPrettyString());
    }

    /** GET /api/contacts/{number}/opt-out?from=: whether the contact opted out of the account's messages (SPEC 5). */
    public Answer optOut(String number, String from) {
        String contact = contactNumber(number);
        String account = account(from);
        if (contact == null || account == null) {
            return error(400, contact == null ? NUMBER_RULE : "from must be the sender account's international number");
        }
        return new Answer(200, console.optOut(account, contact).toPrettyString());
    }

    /** PUT (true) or DELETE (false) /api/contacts/{number}/opt-out?from=: opts the contact out or back in (SPEC 5). */
    public Answer setOptOut(String number, String from, boolean out) {
        String contact = contactNumber(number);
        String account = account(from);
        if (contact == null || account == null) {
            return error(400, contact == null ? NUMBER_RULE : "from must be the sender account's international number");
        }
        return new Answer(200, console.setOptOut(account, contact, out).toPrettyString());
    }

    /** POST /api/messages/{id}/replay: 200 queued again, 404 unknown, 409 not DEAD (SPEC 7). */
    public Answer replay(String id) {
        return switch (replay.replay(id)) {
            case REPLAYED -> ok("message '" + id + "' queued again with a fresh attempt count");
            case NOT_FOUND -> error(404, "no message with id '" + id + "'");
            case NOT_DEAD -> error(409, "message '" + id + "' is not DEAD: only dead messages can be replayed");
        };
    }

    /** POST /api/accounts/{from}/resume: 200 resumed, 409 not paused (SPEC 7). */
    public Answer resume(String account) {
        return accounts.resume(account) ? ok("dispatch resumed for account " + account)
                : error(409, "account " + account + " is not paused");
    }

    /** GET /api/contacts/{number}/window: the window and conversation of each account with this contact. */
    public Answer window(String number) {
        List<ContactWindows.View> views = windows.views(number);
        ArrayNode list = mapper.createArrayNode();
        for (ContactWindows.View v : views) {
            ObjectNode node = list.addObject();
            node.put("account", v.account());
            node.put("contact", v.contact());
            node.put("contactId", v.fromId());
            node.put("open", v.open());
            node.put("lastInboundAt", v.lastInboundAt() == null ? null : v.lastInboundAt().toString());
            node.put("windowEndsAt", v.windowEndsAt() == null ? null : v.windowEndsAt().toString());
            node.put("conversationEndsAt", v.conversationEndsAt() == null ? null : v.conversationEndsAt().toString());
        }
        ObjectNode doc = mapper.createObjectNode();
        doc.put("contact", number);
        doc.put("open", views.stream().anyMatch(ContactWindows.View::open));
        doc.set("accounts", list);
        return new Answer(200, doc.toPrettyString());
    }

    /** GET /api/conversations/daily?from=&days=: conversations started per UTC day (SPEC 5, Billing). */
    public Answer daily(String account, String days, String defaultAccount) {
        int n;
        try {
            n = days == null || days.isBlank() ? 30 : Integer.parseInt(days.trim());
        } catch (NumberFormatException e) {
            return error(400, "days must be a whole number from 1 to 366");
        }
        if (n < 1 || n > 366) {
            return error(400, "days must be a whole number from 1 to 366");
        }
        String from = account == null || account.isBlank() ? defaultAccount : account.trim();
        ObjectNode doc = mapper.createObjectNode();
        doc.put("from", from);
        ArrayNode list = doc.putArray("days");
        long total = 0;
        for (Map.Entry<LocalDate, Long> day : windows.dailyConversations(from, n).entrySet()) {
            ObjectNode node = list.addObject();
            node.put("date", day.getKey().toString());
            node.put("conversations", day.getValue());
            total += day.getValue();
        }
        doc.put("total", total);
        return new Answer(200, doc.toPrettyString());
    }

    /**
     * GET /api/hooks?pending=true&limit= (SPEC 6): webhook deliveries, newest first, or with {@code pending=true} those
     * still waiting for their hand-over to their route, due first; {@code waiting} counts all that wait.
     */
    public Answer hooks(String pending, String limit) {
        int max;
        try {
            max = limit == null || limit.isBlank() ? 100 : Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            return error(400, "limit must be a whole number from 1 to 1000");
        }
        if (max < 1 || max > 1000) {
            return error(400, "limit must be a whole number from 1 to 1000");
        }
        if (pending != null && !pending.isBlank() && !pending.trim().matches("(?i)true|false")) {
            return error(400, "pending must be true or false");
        }
        ObjectNode doc = mapper.createObjectNode();
        doc.put("waiting", hooks.waiting());
        ArrayNode list = doc.putArray("hooks");
        for (Hooks.Row h : hooks.list(Boolean.parseBoolean(pending == null ? "false" : pending.trim()), max)) {
            ObjectNode node = list.addObject();
            node.put("unique", h.key());
            node.put("hook", h.hook());
            node.put("type", h.type());
            node.put("contact", h.contact());
            node.put("account", h.account());
            node.put("receivedAt", java.time.Instant.ofEpochMilli(h.receivedAt()).toString());
            node.put("handedOver", h.nextHandoverAt() == null);
            node.put("handedOverAt", h.handedOverAt() == null ? null : java.time.Instant.ofEpochMilli(h.handedOverAt()).toString());
            node.put("attempts", h.attempts());
            node.put("nextAttemptAt", h.nextHandoverAt() == null ? null : java.time.Instant.ofEpochMilli(h.nextHandoverAt()).toString());
            node.put("lastError", h.lastError());
        }
        return new Answer(200, doc.toPrettyString());
    }

    /** Every status of the store, in its order (SPEC 7): each one filters GET /api/messages. */
    private static final Map<String, Status> STATUS_NAMES = Arrays.stream(Status.values())
            .collect(Collectors.toMap(Status::name, s -> s, (a, b) -> a, LinkedHashMap::new));
    private static final Instant INVALID = Instant.MIN;
    private static final Pattern USER_ID = Pattern.compile("[A-Z]{2}\\.[0-9]+");
    private static final String NUMBER_RULE = "the contact must be an international number (8 to 15 digits, e.g. 972501234567) "
            + "or a provider user id such as IL.1605856887361213";

    /** null when absent, {@link #INVALID} when not an ISO-8601 time with an offset. */
    private static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return INVALID;
        }
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** The value, the fallback when absent, or null when it is not a whole number from min to max. */
    private static Integer wholeNumber(String text, int fallback, int min, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.trim());
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ConsoleViews.DeadFilter deadFilter(String reason, String to, String since, String until) {
        Instant from = time(since);
        Instant before = time(until);
        if (from == INVALID || before == INVALID) {
            return null;
        }
        return new ConsoleViews.DeadFilter(blankToNull(reason), blankToNull(to), millis(from), millis(before));
    }

    /** The account named by {@code from}, the default account when absent, null when it is not a number. */
    private String account(String from) {
        if (from == null || from.isBlank()) {
            return console.defaultAccount();
        }
        String account = contactNumber(from);
        return account == null || USER_ID.matcher(account).matches() ? null : account;
    }

    /** A number as the store keeps it (SPEC 3: separators, + and 00 removed, 8 to 15 digits), a provider user id, or null. */
    static String contactNumber(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        if (USER_ID.matcher(value).matches()) {
            return value;
        }
        String digits = value.replaceAll("[\\s\\u00A0()\\-]", "");
        digits = digits.startsWith("+") ? digits.substring(1) : digits.startsWith("00") ? digits.substring(2) : digits;
        return digits.matches("[1-9][0-9]{7,14}") ? digits : null;
    }

    /** A caller's value quoted back in an error, at most 40 characters of it. */
    private static String cut(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private Answer ok(String message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("status", "OK");
        node.put("message", message);
        return new Answer(200, node.toPrettyString());
    }

    private Answer error(int status, String message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("status", status);
        node.put("error", message);
        return new Answer(status, node.toPrettyString());
    }
}
