package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A simulator of the 99digital WhatsApp API (SPEC §8): Send Buttons and Send Template validated as the
 * provider documents them, answered with the provider's response fields and reasons, with its own
 * 24-hour window per (account, contact) that {@link #inbound} opens, and faults for demos and tests.
 *
 * <p>Camel-free; the sandbox routes hand it the HTTP body and answer its result as the {@code 200} JSON.
 * Thread-safe: it is called from many dispatcher threads at once. The API key is never echoed, logged
 * or put in an answer or an exception. Every answer carries {@code "sandbox": true} (a field the provider never sends),
 * so a result that came from here is marked as such wherever it is shown (SPEC 8).
 */
public final class SandboxProvider {

    /** The provider's customer-service window (send-buttons.txt: "within 24 hours"). */
    static final Duration WINDOW = Duration.ofHours(24);
    /** The provider's billing conversation: 24 hours from a business message when none is open. */
    static final Duration CONVERSATION = Duration.ofHours(24);
    static final int BODY_MAX = 1024;
    static final int FOOTER_MAX = 60;
    static final int BUTTON_MAX = 20;
    static final int BUTTON_ID_MAX = 256;
    static final int TEMPLATE_VARIABLES = 10;
    /** How many received requests {@link #received()} keeps. */
    public static final int RECEIVED_KEPT = 1000;

    private static final Set<String> BUTTONS_FIELDS = Set.of("apiKey", "from", "to", "header", "headerURL", "body",
            "footer", "button1", "button2", "button3", "button1_id", "button2_id", "button3_id", "buttonExternal",
            "replyTo", "showRequest", "localStorage");
    private static final Set<String> TEMPLATE_FIELDS = templateFields();
    private static final Set<String> INBOUND_FIELDS = Set.of("from", "to", "type", "body", "buttonId", "quoteUnique");
    /** The webhook's message types (provider/README.md). */
    private static final Set<String> INBOUND_TYPES = Set.of("text", "image", "audio", "video", "location", "ptt",
            "document", "button", "contacts", "list", "reaction", "order");
    /** Send Buttons {@code header}: 2 image, 3 video, 4 document. Send Template {@code headerType}: 3, 4, 5. */
    private static final Map<Integer, String> BUTTONS_MEDIA = Map.of(2, "image", 3, "video", 4, "document");
    private static final Map<Integer, String> TEMPLATE_MEDIA = Map.of(3, "image", 4, "video", 5, "document");
    private static final Map<String, Set<String>> EXTENSIONS = Map.of(
            "image", Set.of("jpg", "jpeg", "png"), "video", Set.of("mp4"), "document", Set.of("pdf"));

    private final Clock clock;
    private final byte[] expectedApiKey;
    private volatile double failRate;
    private volatile Integer failReason;
    private final RandomGenerator random;
    private final Object randomLock = new Object();
    private final ObjectMapper mapper;
    private final long uniqueBase;
    private final AtomicLong uniqueSequence = new AtomicLong();

    /** Last inbound message per (account, contact): the sandbox's own window. */
    private final ConcurrentMap<Pair, Instant> lastInbound = new ConcurrentHashMap<>();
    /** End of the open billing conversation per (account, contact). */
    private final ConcurrentMap<Pair, Instant> conversationEnds = new ConcurrentHashMap<>();
    /** {@code from_id} handed out in webhooks -> the contact's number, so either can be used as {@code to}. */
    private final ConcurrentMap<String, String> contactByUserId = new ConcurrentHashMap<>();

    private final Object receivedLock = new Object();
    /** The last {@link #RECEIVED_KEPT} requests: a long-running sandbox must not grow without end (issue 13). */
    private final java.util.ArrayDeque<JsonNode> received = new java.util.ArrayDeque<>();
    private int calls;

    /**
     * @param clock          time of windows, conversations and timestamps
     * @param expectedApiKey the key every call must carry (reason 3 otherwise); {@code null} or empty accepts any or none
     * @param failRate       fraction (0..1) of calls answered FAIL reason 6 "WhatsApp error - try again"
     * @param failReason     {@code null} for none; else every call (past the JSON and key checks) answers FAIL with it (2..8)
     * @param random         source of fault injection and {@code unique} values
     */
    public SandboxProvider(Clock clock, String expectedApiKey, double failRate, Integer failReason,
            RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (Double.isNaN(failRate) || failRate < 0.0 || failRate > 1.0) {
            throw new IllegalArgumentException("failRate must be between 0 and 1, got " + failRate);
        }
        if (failReason != null && (failReason < 2 || failReason > 8)) {
            throw new IllegalArgumentException("failReason must be a provider FAIL reason 2..8, got " + failReason);
        }
        this.expectedApiKey = expectedApiKey == null || expectedApiKey.isEmpty()
                ? null
                : expectedApiKey.getBytes(StandardCharsets.UTF_8);
        this.failRate = failRate;
        this.failReason = failReason;
        this.mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.uniqueBase = random.nextLong();
    }

    // ---------------------------------------------------------------- Send Buttons

    /**
     * {@code POST /sandbox/faults}: {@code {"failRate": 0.5, "failReason": null}} switches faults on or off while running;
     * answers the faults now in force. Bad input throws {@link SandboxInputException}.
     */
    public String faults(String requestJson) {
        JsonNode json;
        try {
            json = mapper.readTree(requestJson == null ? "" : requestJson);
        } catch (Exception e) {
            throw new SandboxInputException("body must be a JSON object like {\"failRate\": 0.5, \"failReason\": null}");
        }
        if (json == null || !json.isObject()) {
            throw new SandboxInputException("body must be a JSON object like {\"failRate\": 0.5, \"failReason\": null}");
        }
        JsonNode rate = json.get("failRate");
        JsonNode reason = json.get("failReason");
        if (rate != null && !rate.isNull() && !rate.isNumber()) {
            throw new SandboxInputException("failRate must be a number from 0 to 1");
        }
        if (reason != null && !reason.isNull() && !reason.canConvertToInt()) {
            throw new SandboxInputException("failReason must be a provider reason 2..8, or null");
        }
        try {
            faults(rate == null || rate.isNull() ? 0.0 : rate.asDouble(), reason == null || reason.isNull() ? null : reason.asInt());
        } catch (IllegalArgumentException e) {
            throw new SandboxInputException(e.getMessage());
        }
        return "{\"failRate\":" + failRate + ",\"failReason\":" + failReason + "}";
    }

    /**
     * Changes the faults while running, as a demo or a test switches a provider outage on and off
     * (same meaning as the constructor's {@code failRate} and {@code failReason}).
     */
    public void faults(double failRate, Integer failReason) {
        if (Double.isNaN(failRate) || failRate < 0.0 || failRate > 1.0) {
            throw new IllegalArgumentException("failRate must be between 0 and 1, got " + failRate);
        }
        if (failReason != null && (failReason < 2 || failReason > 8)) {
            throw new IllegalArgumentException("failReason must be a provider FAIL reason 2..8, got " + failReason);
        }
        this.failRate = failRate;
        this.failReason = failReason;
    }

    /** {@code POST .../sendButtons}: the provider's response JSON, {@code OK} or {@code FAIL} with a reason. */
    public String sendButtons(String requestJson) {
        Instant now = clock.instant();
        try {
            ObjectNode request = parseRequest(requestJson);
            checkApiKey(request);
            injectFault();
            String to = checkTo(request);
            String body = checkBody(request);
            Buttons buttons = checkButtonsFields(request, body);
            Pair pair = new Pair(buttons.from(), contactOf(to));
            Instant windowEnd = checkWindow(pair, now);
            startConversation(pair, now);

            ObjectNode answer = mapper.createObjectNode();
            answer.put("status", "OK");
            answer.put("unique", newUnique());
            answer.put("header", buttons.header());
            answer.put("body", body);
            answer.put("footer", buttons.footer());
            answer.put("button1", buttons.button1());
            answer.put("button2", buttons.button2());
            answer.put("button3", buttons.button3());
            answer.put("buttonExternal", buttons.buttonExternal());
            answer.put("timestamp", now.getEpochSecond());
            answer.put("from", buttons.from());
            answer.put("to", to);
            answer.put("templateTimeLeft", Long.toString(minutesLeft(windowEnd, now)));
            answer.put("reason", 1);
            answer.put("sandbox", true);
            if (buttons.showRequest()) {
                answer.set("request", withoutApiKey(request));
            }
            return write(answer);
        } catch (Refused r) {
            return fail(r, now);
        }
    }

    private record Buttons(String from, int header, String footer, String button1, String button2, String button3,
            String buttonExternal, boolean showRequest) {
    }

    private Buttons checkButtonsFields(ObjectNode request, String body) {
        List<String> problems = new ArrayList<>();
        unknownFields(request, BUTTONS_FIELDS, "Send Buttons", problems);
        String from = checkFrom(request, problems);

        if (body == null) {
            problems.add("body: must be a string");
        } else if (ProviderFormats.length(body) > BODY_MAX) {
            problems.add("body: at most " + BODY_MAX + " characters, got " + ProviderFormats.length(body));
        }

        int header = 1;
        JsonNode headerNode = request.get("header");
        if (absent(headerNode)) {
            problems.add("header: required: 1 none, 2 image, 3 video, 4 document");
        } else {
            Integer h = smallInt(headerNode);
            if (h == null || h < 1 || h > 4) {
                problems.add("header: must be 1 (none), 2 (image), 3 (video) or 4 (document)");
            } else {
                header = h;
                mediaLink(request, "headerURL", "header", h, BUTTONS_MEDIA.get(h), problems);
            }
        }

        String footer = optionalText(request, "footer", problems);
        if (footer != null && ProviderFormats.length(footer) > FOOTER_MAX) {
            problems.add("footer: at most " + FOOTER_MAX + " characters, got " + ProviderFormats.length(footer));
        }

        String external = optionalText(request, "buttonExternal", problems);
        boolean hasExternal = external != null && !external.isBlank();
        if (hasExternal && !ProviderFormats.isExternalTarget(external)) {
            problems.add("buttonExternal: must be a website URL, a phone number or an email address");
        }

        String[] titles = new String[3];
        for (int i = 1; i <= 3; i++) {
            String field = "button" + i;
            String title = optionalText(request, field, problems);
            if (title != null && title.isBlank() && !title.isEmpty()) {
                problems.add(field + ": must not be blank");
            } else if (title != null && !title.isEmpty()) {
                if (ProviderFormats.length(title) > BUTTON_MAX) {
                    problems.add(field + ": at most " + BUTTON_MAX + " characters, got " + ProviderFormats.length(title));
                }
                titles[i - 1] = title;
            }
        }
        if (titles[0] == null && !problems.stream().anyMatch(p -> p.startsWith("button1:"))) {
            problems.add("button1: required");
        }
        if (hasExternal) {
            if (titles[0] != null && ProviderFormats.hasEmoji(titles[0])) {
                problems.add("button1: no emoji on the label of an external button (buttonExternal)");
            }
            // send-buttons.txt: with buttonExternal, button2 and button3 are ignored (not sent).
            titles[1] = null;
            titles[2] = null;
        } else {
            if (titles[2] != null && titles[1] == null) {
                problems.add("button3: given without button2");
            }
            checkButtonIds(request, titles, problems);
        }
        for (int i = 1; i < 3; i++) {
            for (int j = 0; j < i; j++) {
                if (titles[i] != null && titles[i].equals(titles[j])) {
                    problems.add("button" + (i + 1) + ": same title as button" + (j + 1));
                }
            }
        }

        optionalText(request, "replyTo", problems);
        boolean showRequest = zeroOrOne(request, "showRequest", problems);
        zeroOrOne(request, "localStorage", problems);

        if (!problems.isEmpty()) {
            throw refused(2, problems);
        }
        return new Buttons(from, header, orEmpty(footer), titles[0], orEmpty(titles[1]), orEmpty(titles[2]),
                hasExternal ? external : "", showRequest);
    }

    private static void checkButtonIds(ObjectNode request, String[] titles, List<String> problems) {
        String[] ids = new String[3];
        for (int i = 1; i <= 3; i++) {
            String field = "button" + i + "_id";
            JsonNode v = request.get(field);
            String id = Integer.toString(i);
            if (!absent(v)) {
                if (v.isTextual() || v.isIntegralNumber()) {
                    String given = v.asText();
                    if (ProviderFormats.length(given) > BUTTON_ID_MAX) {
                        problems.add(field + ": at most " + BUTTON_ID_MAX + " characters, got "
                                + ProviderFormats.length(given));
                    }
                    if (!given.isEmpty()) {
                        id = given;
                    }
                } else {
                    problems.add(field + ": must be a string");
                }
            }
            ids[i - 1] = titles[i - 1] == null ? null : id;
        }
        for (int i = 1; i < 3; i++) {
            for (int j = 0; j < i; j++) {
                if (ids[i] != null && ids[i].equals(ids[j])) {
                    problems.add("button" + (i + 1) + "_id: same id as button" + (j + 1)
                            + " (ids default to 1, 2, 3)");
                }
            }
        }
    }

    private Instant checkWindow(Pair pair, Instant now) {
        Instant last = lastInbound.get(pair);
        if (last == null) {
            throw new Refused(8, reasonWords(8));
        }
        Instant end = last.plus(WINDOW);
        if (!now.isBefore(end)) {
            throw new Refused(7, reasonWords(7));
        }
        return end;
    }

    // ---------------------------------------------------------------- Send Template

    /** {@code POST .../sendTemplate}: allowed whatever the window; any template name is accepted. */
    public String sendTemplate(String requestJson) {
        Instant now = clock.instant();
        try {
            ObjectNode request = parseRequest(requestJson);
            checkApiKey(request);
            injectFault();
            String to = checkTo(request);

            List<String> problems = new ArrayList<>();
            unknownFields(request, TEMPLATE_FIELDS, "Send Template", problems);
            String from = checkFrom(request, problems);
            String name = optionalText(request, "name", problems);
            if (name == null || name.isBlank()) {
                if (!problems.stream().anyMatch(p -> p.startsWith("name:"))) {
                    problems.add("name: required (the approved template's name)");
                }
            }
            int headerType = 1;
            JsonNode ht = request.get("headerType");
            if (!absent(ht)) {
                Integer h = smallInt(ht);
                if (h == null || !(h == 1 || TEMPLATE_MEDIA.containsKey(h))) {
                    problems.add("headerType: must be 1 (none), 3 (image), 4 (video) or 5 (document)");
                } else {
                    headerType = h;
                }
            }
            if (problems.stream().noneMatch(p -> p.startsWith("headerType:"))) {
                mediaLink(request, "headerLink", "headerType", headerType, TEMPLATE_MEDIA.get(headerType), problems);
            }
            checkBodyVariables(request, problems);
            if (!problems.isEmpty()) {
                throw refused(2, problems);
            }

            Pair pair = new Pair(from, contactOf(to));
            startConversation(pair, now);
            Instant last = lastInbound.get(pair);
            ObjectNode answer = mapper.createObjectNode();
            answer.put("status", "OK");
            answer.put("unique", newUnique());
            answer.put("name", name);
            answer.put("headerType", headerType);
            answer.put("timestamp", now.getEpochSecond());
            answer.put("from", from);
            answer.put("to", to);
            answer.put("templateTimeLeft", Long.toString(minutesLeft(last == null ? null : last.plus(WINDOW), now)));
            answer.put("reason", 1);
            answer.put("sandbox", true);
            return write(answer);
        } catch (Refused r) {
            return fail(r, now);
        }
    }

    private static void checkBodyVariables(ObjectNode request, List<String> problems) {
        int total = 0;
        int firstMissing = 0;
        for (int i = 1; i <= TEMPLATE_VARIABLES; i++) {
            String field = "bodyVariable" + i;
            JsonNode v = request.get(field);
            if (absent(v)) {
                if (firstMissing == 0) {
                    firstMissing = i;
                }
                continue;
            }
            if (!v.isTextual()) {
                problems.add(field + ": must be a string");
                continue;
            }
            if (firstMissing != 0) {
                problems.add(field + ": given without bodyVariable" + firstMissing);
            }
            total += ProviderFormats.length(v.textValue());
        }
        if (total > BODY_MAX) {
            problems.add("bodyVariable1..bodyVariable10: template body plus variables at most " + BODY_MAX
                    + " characters, the variables alone have " + total);
        }
    }

    // ---------------------------------------------------------------- inbound

    /**
     * Plays a contact writing in (SPEC §8 {@code POST /sandbox/inbound}): records it, opens/refreshes the
     * sandbox's window of (account, contact) at {@code clock.instant()}, and answers the provider's
     * incoming-message webhook payload to deliver to the gateway.
     *
     * @param requestJson    {@code {"from": contact, "to"?: account, "type"?, "body", "buttonId"?, "quoteUnique"?}}
     * @param defaultAccount the account used when {@code to} is not given
     * @throws SandboxInputException naming every bad field
     */
    public Inbound inbound(String requestJson, String defaultAccount) {
        JsonNode parsed;
        try {
            parsed = requestJson == null || requestJson.isBlank() ? null : mapper.readTree(requestJson);
        } catch (JsonProcessingException e) {
            throw new SandboxInputException("inbound: not JSON (" + where(e) + ")");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new SandboxInputException("inbound: the body must be a JSON object with from and body");
        }
        List<String> problems = new ArrayList<>();
        unknownFields(parsed, INBOUND_FIELDS, "inbound", problems);

        String contact = numberField(parsed, "from", "the contact's international number", problems);
        String account;
        JsonNode toNode = parsed.get("to");
        if (absent(toNode) || (toNode.isTextual() && toNode.textValue().isEmpty())) {
            account = defaultAccount == null || defaultAccount.isBlank() ? null : defaultAccount.trim();
            if (account == null) {
                problems.add("to: required (no default account)");
            } else if (!ProviderFormats.isInternationalNumber(account)) {
                problems.add("to: the default account is not an international number (digits only, 8 to 15)");
                account = null;
            }
        } else {
            account = numberField(parsed, "to", "the business account's international number", problems);
        }

        String type = "text";
        JsonNode typeNode = parsed.get("type");
        if (!absent(typeNode)) {
            if (typeNode.isTextual() && INBOUND_TYPES.contains(typeNode.textValue())) {
                type = typeNode.textValue();
            } else {
                problems.add("type: must be one of " + String.join(", ", INBOUND_TYPES.stream().sorted().toList()));
            }
        }
        String body = null;
        JsonNode bodyNode = parsed.get("body");
        if (absent(bodyNode) || (bodyNode.isTextual() && bodyNode.textValue().isEmpty())) {
            problems.add("body: required (the message text; for type button the clicked button's text)");
        } else if (!bodyNode.isTextual()) {
            problems.add("body: must be a string");
        } else {
            body = bodyNode.textValue();
        }
        String buttonId = null;
        JsonNode buttonNode = parsed.get("buttonId");
        if (!absent(buttonNode)) {
            if (buttonNode.isTextual() || buttonNode.isIntegralNumber()) {
                buttonId = buttonNode.asText();
            } else {
                problems.add("buttonId: must be a string");
            }
        }
        String quoteUnique = null;
        JsonNode quoteNode = parsed.get("quoteUnique");
        if (!absent(quoteNode)) {
            if (quoteNode.isTextual() && !quoteNode.textValue().isBlank()) {
                quoteUnique = quoteNode.textValue();
            } else {
                problems.add("quoteUnique: must be the unique of a message, a non-empty string");
            }
        }
        if (!problems.isEmpty()) {
            throw new SandboxInputException("inbound: " + String.join("; ", problems));
        }

        Instant now = clock.instant();
        String userId = ProviderFormats.userIdOf(contact);
        contactByUserId.put(userId, contact);
        Pair pair = new Pair(account, contact);
        lastInbound.merge(pair, now, (old, fresh) -> fresh.isAfter(old) ? fresh : old);
        String unique = newUnique();

        ObjectNode hook = mapper.createObjectNode();
        hook.put("status", "OK");
        hook.put("hook", "new");
        hook.put("unique", unique);
        hook.put("from", contact);
        hook.put("from_id", userId);
        hook.put("to", account);
        hook.put("senderName", "Sandbox contact");
        hook.put("type", type);
        hook.put("body", body);
        if ("button".equals(type) && buttonId != null) {
            hook.put("buttonId", buttonId);
        }
        hook.put("timestamp", Long.toString(now.getEpochSecond()));
        hook.put("media", false);
        hook.put("quote", quoteUnique != null);
        if (quoteUnique != null) {
            hook.put("quoteUnique", quoteUnique);
        } else {
            hook.put("quoteUnique", false);
        }
        hook.put("conversationTimeLeft", Long.toString(minutesLeft(conversationEnds.get(pair), now)));
        return new Inbound(unique, write(hook));
    }

    // ---------------------------------------------------------------- for tests

    /** The last {@link #RECEIVED_KEPT} Send Buttons / Send Template requests that parsed as JSON, in arrival order, without {@code apiKey}. */
    public List<JsonNode> received() {
        synchronized (receivedLock) {
            return received.stream().<JsonNode>map(JsonNode::deepCopy).toList();
        }
    }

    /** Send Buttons and Send Template calls so far, valid or not. */
    public int callCount() {
        synchronized (receivedLock) {
            return calls;
        }
    }

    /** When the contact last wrote to the account ({@code contact} may be its number or its {@code from_id}). */
    public Optional<Instant> lastInbound(String account, String contact) {
        if (account == null || contact == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(lastInbound.get(new Pair(account, contactOf(contact))));
    }

    // ---------------------------------------------------------------- shared checks

    /** Parses and records a provider request; reason 2 when it is not a JSON object. */
    private ObjectNode parseRequest(String requestJson) {
        JsonNode parsed = null;
        String syntax = null;
        try {
            parsed = requestJson == null || requestJson.isBlank() ? null : mapper.readTree(requestJson);
            if (parsed == null) {
                syntax = "JSON syntax error: empty body";
            }
        } catch (JsonProcessingException e) {
            syntax = "JSON syntax error (" + where(e) + ")";
        }
        synchronized (receivedLock) {
            calls++;
            if (parsed != null) {
                if (received.size() >= RECEIVED_KEPT) {
                    received.pollFirst();
                }
                received.addLast(withoutApiKey(parsed));
            }
        }
        if (syntax != null) {
            throw new Refused(2, syntax);
        }
        if (!parsed.isObject()) {
            throw new Refused(2, "JSON syntax error: the body must be a JSON object");
        }
        return (ObjectNode) parsed;
    }

    private void checkApiKey(ObjectNode request) {
        if (expectedApiKey == null) {
            return;
        }
        JsonNode key = request.get("apiKey");
        byte[] given = key != null && key.isValueNode() && !key.isNull()
                ? key.asText().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(expectedApiKey, given)) {
            throw new Refused(3, reasonWords(3) + (given.length == 0 ? " (apiKey missing)" : ""));
        }
    }

    private void injectFault() {
        Integer forced = failReason;
        if (forced != null) {
            throw new Refused(forced, reasonWords(forced) + " (forced by the sandbox fail-reason)");
        }
        double rate = failRate;
        if (rate > 0.0 && nextDouble() < rate) {
            throw new Refused(6, reasonWords(6) + " (injected by the sandbox fail-rate)");
        }
    }

    /** Reason 4: {@code to} empty or not a private contact's number / user id. Answers it as sent. */
    private static String checkTo(ObjectNode request) {
        JsonNode v = request.get("to");
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            throw new Refused(4, "to: empty");
        }
        if (!(v.isTextual() || v.isIntegralNumber())) {
            throw new Refused(4, "to: wrong number format: must be a string of digits");
        }
        String to = v.asText();
        if (ProviderFormats.isGroup(to)) {
            throw new Refused(4, "to: groups are not supported, only private contacts");
        }
        if (!ProviderFormats.isInternationalNumber(to) && !ProviderFormats.isUserId(to)) {
            throw new Refused(4, "to: wrong number format: an international number without + (digits only, 8 to 15)"
                    + " or a user id like IL.1605856887361213");
        }
        return to;
    }

    /** Reason 5: {@code body} missing or blank. {@code null} for a body that is not a string (a reason-2 problem). */
    private static String checkBody(ObjectNode request) {
        JsonNode v = request.get("body");
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            throw new Refused(5, reasonWords(5));
        }
        return v.isTextual() ? v.textValue() : null;
    }

    /** Reason 2 "the from account does not exist": missing or not an international number. */
    private static String checkFrom(ObjectNode request, List<String> problems) {
        JsonNode v = request.get("from");
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            problems.add("from: required (your WhatsApp account, an international number without +)");
            return null;
        }
        String from = v.isTextual() || v.isIntegralNumber() ? v.asText() : "";
        if (!ProviderFormats.isInternationalNumber(from)) {
            problems.add("from: the account does not exist (an international number without +, digits only, 8 to 15)");
            return null;
        }
        return from;
    }

    private static void mediaLink(ObjectNode request, String field, String typeField, int type, String kind,
            List<String> problems) {
        String link = optionalText(request, field, problems);
        boolean given = link != null && !link.isBlank();
        if (kind == null) {
            if (given) {
                problems.add(field + ": only for a media " + typeField + ", not for " + typeField + " " + type);
            }
        } else if (!given) {
            if (absent(request.get(field)) || link != null) {
                problems.add(field + ": required for " + typeField + " " + type + " (" + kind + "), an https URL");
            }
        } else {
            ProviderFormats.mediaLinkProblem(field, link, kind, EXTENSIONS.get(kind)).ifPresent(problems::add);
        }
    }

    private static void unknownFields(JsonNode request, Set<String> known, String api, List<String> problems) {
        for (Iterator<String> it = request.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add(ProviderFormats.closest(name, known)
                        .map(c -> "unknown field '" + name + "' (did you mean '" + c + "'?)")
                        .orElse("unknown field '" + name + "' (not a " + api + " field)"));
            }
        }
    }

    private static String numberField(JsonNode request, String field, String what, List<String> problems) {
        JsonNode v = request.get(field);
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            problems.add(field + ": required (" + what + ")");
            return null;
        }
        String s = v.isTextual() || v.isIntegralNumber() ? v.asText() : "";
        if (ProviderFormats.isGroup(s)) {
            problems.add(field + ": groups are not supported, only private contacts");
            return null;
        }
        if (!ProviderFormats.isInternationalNumber(s)) {
            problems.add(field + ": must be " + what + " without + (digits only, 8 to 15)");
            return null;
        }
        return s;
    }

    /** A string field, {@code null} when absent or JSON null; a problem when it is not a string. */
    private static String optionalText(ObjectNode request, String field, List<String> problems) {
        JsonNode v = request.get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + ": must be a string");
            return null;
        }
        return v.textValue();
    }

    /** {@code showRequest}, {@code localStorage}: 0 or 1, as a JSON number or a string. */
    private static boolean zeroOrOne(ObjectNode request, String field, List<String> problems) {
        JsonNode v = request.get(field);
        if (absent(v)) {
            return false;
        }
        Integer i = smallInt(v);
        if (i == null || (i != 0 && i != 1)) {
            problems.add(field + ": must be 0 or 1");
            return false;
        }
        return i == 1;
    }

    private static Integer smallInt(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isTextual() && v.textValue().matches("[0-9]{1,9}")) {
            return Integer.valueOf(v.textValue());
        }
        return null;
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    // ---------------------------------------------------------------- state and answers

    private String contactOf(String to) {
        return contactByUserId.getOrDefault(to, to);
    }

    private void startConversation(Pair pair, Instant now) {
        conversationEnds.compute(pair, (k, end) -> end != null && now.isBefore(end) ? end : now.plus(CONVERSATION));
    }

    /** Whole minutes left, rounded up (so an open window never reads "0"); 0 when closed or unknown. */
    static long minutesLeft(Instant end, Instant now) {
        if (end == null || !now.isBefore(end)) {
            return 0;
        }
        long millis = Duration.between(now, end).toMillis();
        return Math.max(1, (millis + 59_999) / 60_000);
    }

    /** 22 upper-case hex characters, like the provider's; never repeated by one sandbox. */
    private String newUnique() {
        int noise;
        synchronized (randomLock) {
            noise = random.nextInt(1 << 24);
        }
        long sequenced = mix64(uniqueBase + uniqueSequence.incrementAndGet());
        return String.format(Locale.ROOT, "%06X%016X", noise, sequenced);
    }

    /** A bijection on longs (Stafford's mix 13), so distinct sequence numbers give distinct uniques. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private double nextDouble() {
        synchronized (randomLock) {
            return random.nextDouble();
        }
    }

    private String fail(Refused r, Instant now) {
        ObjectNode answer = mapper.createObjectNode();
        answer.put("status", "FAIL");
        answer.put("reason", r.reason);
        answer.put("message", r.getMessage());
        answer.put("timestamp", now.getEpochSecond());
        answer.put("sandbox", true);
        return write(answer);
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a sandbox answer", e);
        }
    }

    /** A copy with every {@code apiKey} field removed, at any depth. */
    private static JsonNode withoutApiKey(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove("apiKey");
        }
        node.forEach(SandboxProvider::strip);
    }

    /** The position of a syntax error, never its text: Jackson quotes tokens, which may be the key. */
    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? "unreadable" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** The provider's reasons in words (provider/README.md). */
    static String reasonWords(int reason) {
        return switch (reason) {
            case 1 -> "OK";
            case 2 -> "the from account does not exist, or JSON syntax error";
            case 3 -> "wrong apiKey";
            case 4 -> "to empty or wrong number format";
            case 5 -> "body empty";
            case 6 -> "WhatsApp error - try again";
            case 7 -> "more than 24 hours since the client's last message - use a template";
            case 8 -> "first message to this contact - use a template";
            default -> "reason " + reason;
        };
    }

    private static Refused refused(int reason, List<String> problems) {
        return new Refused(reason, String.join("; ", new LinkedHashSet<>(problems)));
    }

    private static Set<String> templateFields() {
        Set<String> fields = new LinkedHashSet<>(List.of("apiKey", "from", "to", "name", "headerType", "headerLink"));
        for (int i = 1; i <= TEMPLATE_VARIABLES; i++) {
            fields.add("bodyVariable" + i);
        }
        return Set.copyOf(fields);
    }

    private record Pair(String account, String contact) {
    }

    /** A provider {@code FAIL}: control flow inside one call, never leaves this class. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int reason;

        Refused(int reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
