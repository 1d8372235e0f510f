package com.buttonsgateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one request item against every rule of SPEC 3 and reports every problem at once, by field
 * name (STYLE 4: not the first exception). Stateless after construction, so one instance serves all
 * intakes concurrently.
 */
public final class RequestValidator {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_ID = 128;
    /** The provider's id of a message ("unique"): hex in its examples; base64's = + / allowed for WhatsApp's own. */
    private static final Pattern REPLY_TO = Pattern.compile("[A-Za-z0-9._:=+/-]+");
    private static final int MAX_REPLY_TO = 128;
    private static final String DUPLICATE_SUFFIX = ".duplicate";
    private static final int MAX_BODY = 1024;
    private static final int MAX_FOOTER = 60;
    private static final int MAX_BUTTON = 20;
    private static final int MAX_BUTTON_ID = 256;
    private static final String HEADERS = "1 (none), 2 (image), 3 (video) or 4 (document)";
    private static final List<String> WHEN_CLOSED = List.of("template", "hold", "reject");
    private static final Duration MAX_AHEAD = Duration.ofDays(30);
    /** ISO-8601 with an offset; {@code t} and {@code z} in lower case too, as RFC 3339 allows. */
    private static final DateTimeFormatter SEND_AT = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME).toFormatter();
    /** What only Send Buttons uses: a request with none of them and whenClosed template is template-only. */
    private static final List<String> BUTTONS_ONLY = List.of("headerURL", "body", "footer", "button1", "button2",
            "button3", "button1_id", "button2_id", "button3_id", "buttonExternal");

    private final String defaultFrom;
    private final PhoneNumbers phones;
    private final ExternalButton external;
    private final Clock clock;

    /** As {@link #RequestValidator(String, String, Clock)} on the system clock. */
    public RequestValidator(String defaultFrom, String defaultCountryCode) {
        this(defaultFrom, defaultCountryCode, Clock.systemUTC());
    }

    /**
     * @param defaultFrom        {@code gateway.provider.from}; null or empty makes {@code from} required
     * @param defaultCountryCode {@code gateway.default-country-code}; null or empty refuses national numbers
     * @param clock              now, for {@code sendAt}'s "at most 30 days ahead"
     * @throws IllegalArgumentException when a configured value is itself not valid (names the key)
     */
    public RequestValidator(String defaultFrom, String defaultCountryCode, Clock clock) {
        this.phones = new PhoneNumbers(defaultCountryCode);
        this.external = new ExternalButton(phones);
        this.defaultFrom = configuredFrom(defaultFrom, phones);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Validation validate(JsonNode item) {
        if (item == null || !item.isObject()) {
            String got = item == null ? "" : ", not " + FieldReader.describe(item);
            return Validation.rejected(List.of(new Problem("item", "type", "each item must be a JSON object" + got)));
        }
        List<Problem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        FieldNames.checkRequest(item, problems);
        FieldReader in = new FieldReader(item, "", problems);
        boolean templateOnly = templateOnly(item);
        String id = id(in);
        String from = from(in, item);
        String to = to(in, item);
        Integer header = in.choice("header", Set.of(1, 2, 3, 4), HEADERS, 1);
        String headerURL = headerURL(in, header);
        String body = templateOnly ? null : body(in);
        String footer = footer(in);
        String buttonExternal = in.optionalText("buttonExternal");
        boolean externalGiven = buttonExternal != null || in.failed("buttonExternal");
        if (buttonExternal != null) {
            buttonExternal = external.read(in, buttonExternal);
        }
        List<ValidRequest.Button> buttons = templateOnly ? List.of() : buttons(in, externalGiven, warnings);
        String replyTo = replyTo(in);
        Integer showRequest = in.flag("showRequest");
        Integer localStorage = localStorage(in, externalGiven, warnings);
        ValidRequest.Template template = TemplateRules.read(in, item.get("template"), problems);
        if (templateOnly && !in.present("template")) {
            in.problem("template", "required", "template is required: a request with whenClosed template and no "
                    + "body or buttons is sent as its template only (otherwise body and button1 are required)");
        }
        String whenClosed = whenClosed(in);
        Instant sendAt = sendAt(in);
        if (!problems.isEmpty()) {
            return Validation.rejected(problems);
        }
        return Validation.accepted(new ValidRequest(id, from, to, header, headerURL, body, footer, buttons,
                buttonExternal, replyTo, showRequest, localStorage, template, whenClosed, sendAt, warnings));
    }

    /**
     * A template-only request (SPEC 3) says {@code whenClosed: template} itself and carries
     * nothing of Send Buttons (header 1, none, may stay); any of it makes it an ordinary request, so a
     * forgotten body is reported as missing rather than silently sent as the template. Blank values are
     * absent, as everywhere (a legacy row's empty columns).
     */
    private static boolean templateOnly(JsonNode item) {
        JsonNode policy = item.get("whenClosed");
        if (policy == null || !policy.isTextual() || !policy.textValue().strip().equalsIgnoreCase("template")) {
            return false;
        }
        JsonNode header = item.get("header");
        if (given(header) && !header.asText().strip().equals("1")) {
            return false;
        }
        return BUTTONS_ONLY.stream().noneMatch(name -> given(item.get(name)));
    }

    private static boolean given(JsonNode value) {
        return value != null && !value.isNull() && !(value.isTextual() && value.textValue().isBlank());
    }

    private static String id(FieldReader in) {
        String id = in.text("id");
        if (id == null) {
            return null;
        }
        String rule = "id must be 1 to " + MAX_ID + " characters of A-Z a-z 0-9 . _ -";
        if (id.isEmpty()) {
            in.problem("id", "empty", rule);
            return null;
        }
        if (FieldReader.codePoints(id) > MAX_ID) {
            in.problem("id", "max-length", "id is " + FieldReader.codePoints(id) + " characters; at most "
                    + MAX_ID + " are allowed");
        }
        if (!ID.matcher(id).matches()) {
            in.problem("id", "pattern", rule);
        }
        // SPEC 7: a repeated id is reported as <results>/<id>.duplicate.json; an id "x.duplicate" would own that name
        if (id.toLowerCase(Locale.ROOT).endsWith(DUPLICATE_SUFFIX)) {
            in.problem("id", "reserved-suffix", "id must not end in '" + DUPLICATE_SUFFIX
                    + "': that name is kept for reporting a repeated id (<id>.duplicate.json)");
        }
        return id;
    }

    private String from(FieldReader in, JsonNode item) {
        if (!wholeDigits(in, item, "from")) {
            return null;
        }
        String text = in.optionalText("from");
        if (text == null) {
            if (defaultFrom == null && !in.failed("from")) {
                in.problem("from", "required", "from is required: gateway.provider.from is not configured");
            }
            return defaultFrom;
        }
        return number(in, "from", text, false);
    }

    private String to(FieldReader in, JsonNode item) {
        if (!wholeDigits(in, item, "to")) {
            return null;
        }
        String text = in.requiredText("to");
        return text == null ? null : number(in, "to", text, true);
    }

    private String number(FieldReader in, String name, String text, boolean contact) {
        PhoneNumbers.Outcome outcome = phones.normalise(name, text, contact);
        if (!outcome.ok()) {
            in.problem(name, outcome.rule(), outcome.message());
        }
        return outcome.number();
    }

    /** A phone number given as a JSON number must be its digits: no sign, no fraction (SPEC 3). */
    private static boolean wholeDigits(FieldReader in, JsonNode item, String name) {
        JsonNode value = item.get(name);
        if (value != null && value.isNumber() && (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0)) {
            in.problem(name, "type", name + " is a number with a sign or a fraction; a phone number is digits only");
            return false;
        }
        return true;
    }

    private static String headerURL(FieldReader in, Integer header) {
        String url = in.optionalText("headerURL");
        if (header == null || in.failed("headerURL")) {
            return url;
        }
        if (header == 1) {
            if (url != null) {
                in.problem("headerURL", "not-allowed", "headerURL is only for header 2, 3 or 4 (header is 1, none)");
            }
            return null;
        }
        MediaLinks.Kind kind = switch (header) {
            case 2 -> MediaLinks.Kind.IMAGE;
            case 3 -> MediaLinks.Kind.VIDEO;
            default -> MediaLinks.Kind.DOCUMENT;
        };
        String kindIs = "header is " + header + " (" + kind.name() + ")";
        if (url == null) {
            in.problem("headerURL", "required", "headerURL is required when " + kindIs);
            return null;
        }
        MediaLinks.check(in, "headerURL", url, kind, kindIs);
        return url;
    }

    private static String body(FieldReader in) {
        String body = in.requiredText("body");
        if (body != null) {
            maxLength(in, "body", body, MAX_BODY);
        }
        return body;
    }

    private static String footer(FieldReader in) {
        String footer = in.optionalText("footer");
        if (footer != null) {
            maxLength(in, "footer", footer, MAX_FOOTER);
        }
        return footer;
    }

    /** The quoted message's id (provider's Send Buttons page): its form is checked, its existence is the provider's. */
    private static String replyTo(FieldReader in) {
        String replyTo = in.optionalText("replyTo");
        if (replyTo == null) {
            return null;
        }
        String rule = "replyTo must be the provider's id of the message to quote (its 'unique'): 1 to "
                + MAX_REPLY_TO + " characters of A-Z a-z 0-9 . _ : - = + /";
        int length = FieldReader.codePoints(replyTo);
        if (length > MAX_REPLY_TO) {
            in.problem("replyTo", "max-length", rule + "; it is " + length + " characters");
        } else if (!REPLY_TO.matcher(replyTo).matches()) {
            in.problem("replyTo", "pattern", rule);
        }
        return replyTo;
    }

    /** button1..3 and their ids; with buttonExternal only button1, its label (SPEC 3). */
    private static List<ValidRequest.Button> buttons(FieldReader in, boolean external, List<String> warnings) {
        int count = external ? 1 : 3;
        for (int n = count + 1; n <= 3; n++) {
            if (in.present("button" + n) || in.present("button" + n + "_id")) {
                warnings.add("button" + n + " is ignored: with buttonExternal, button1 is the only button");
            }
        }
        List<ValidRequest.Button> buttons = new ArrayList<>();
        Map<String, String> titles = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        String missing = null;
        for (int n = 1; n <= count; n++) {
            String name = "button" + n;
            String title = n == 1 ? strip(in.requiredText(name)) : in.optionalText(name);
            String id = buttonId(in, n);
            if (title == null) {
                if (n > 1 && !in.failed(name)) {
                    missing = missing == null ? name : missing;
                    if (id != null) {
                        warnings.add(name + "_id is ignored: there is no " + name);
                    }
                }
                continue;
            }
            if (missing != null) {
                in.problem(name, "gap", name + " is given without " + missing + "; buttons are filled in order");
            }
            maxLength(in, name, title, MAX_BUTTON);
            if (external && Emoji.in(title)) {
                in.problem(name, "emoji", name + " is the label of the external button and must not contain emoji");
            }
            unique(in, name, title, titles, "title");
            String buttonId = id == null ? String.valueOf(n) : id;
            unique(in, name + "_id", buttonId, ids, "id");
            buttons.add(new ValidRequest.Button(title, buttonId));
        }
        return buttons;
    }

    private static String buttonId(FieldReader in, int n) {
        String id = in.optionalText("button" + n + "_id");
        if (id != null) {
            maxLength(in, "button" + n + "_id", id, MAX_BUTTON_ID);
        }
        return id;
    }

    /** Titles must be unique (SPEC 3); ids too, or a click in the webhook could not be told apart. */
    private static void unique(FieldReader in, String name, String value, Map<String, String> seen, String what) {
        String earlier = seen.putIfAbsent(value, name);
        if (earlier != null) {
            in.problem(name, "unique", name + " has the same " + what + " as " + earlier
                    + "; button " + what + "s must be unique");
        }
    }

    private static Integer localStorage(FieldReader in, boolean external, List<String> warnings) {
        if (external) {
            if (in.present("localStorage")) {
                warnings.add("localStorage is ignored: it does not apply with buttonExternal");
            }
            return null;
        }
        return in.flag("localStorage");
    }

    private static String whenClosed(FieldReader in) {
        String value = in.optionalText("whenClosed");
        if (value == null) {
            return null;
        }
        String policy = value.toLowerCase(Locale.ROOT);
        if (!WHEN_CLOSED.contains(policy)) {
            in.problem("whenClosed", "enum", "whenClosed must be template, hold or reject");
            return null;
        }
        return policy;
    }

    /** SPEC 3, 5: ISO-8601 with an offset (a local time would be ambiguous), at most 30 days ahead; past means now. */
    private Instant sendAt(FieldReader in) {
        String text = in.optionalText("sendAt");
        if (text == null) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text, SEND_AT).toInstant();
        } catch (DateTimeParseException e) {
            in.problem("sendAt", "format", "sendAt must be an ISO-8601 date-time with an offset, such as "
                    + "2026-12-01T09:00:00+02:00 or 2026-12-01T07:00:00Z");
            return null;
        }
        Instant latest = clock.instant().plus(MAX_AHEAD);
        if (at.isAfter(latest)) {
            in.problem("sendAt", "too-far-ahead", "sendAt is more than " + MAX_AHEAD.toDays() + " days ahead: it is "
                    + at + ", the latest allowed now is " + latest.truncatedTo(ChronoUnit.SECONDS));
            return null;
        }
        return at;
    }

    private static void maxLength(FieldReader in, String name, String value, int max) {
        int length = FieldReader.codePoints(value);
        if (length > max) {
            in.problem(name, "max-length", name + " is " + length + " characters; at most " + max + " are allowed");
        }
    }

    private static String strip(String text) {
        return text == null ? null : text.strip();
    }

    private static String configuredFrom(String configured, PhoneNumbers phones) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        PhoneNumbers.Outcome outcome = phones.normalise("gateway.provider.from", configured, false);
        if (!outcome.ok()) {
            throw new IllegalArgumentException(outcome.message());
        }
        return outcome.number();
    }
}
