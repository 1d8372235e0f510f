package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The sandbox's Send Buttons (SPEC 8, send-buttons.txt; route {@code sandbox-send-buttons}): validated as the provider
 * documents it, in the provider's order (JSON, key, fault, {@code to}, {@code body}, every other field, the window),
 * answered with its response fields. Allowed only inside the sandbox's own 24-hour window (reason 8 when the contact
 * never wrote, 7 when it closed). Thread-safe.
 */
public final class SendButtonsSimulator {

    static final int BODY_MAX = 1024;
    static final int FOOTER_MAX = 60;
    static final int BUTTON_MAX = 20;
    static final int BUTTON_ID_MAX = 256;

    private static final Set<String> FIELDS = Set.of("apiKey", "from", "to", "header", "headerURL", "body",
            "footer", "button1", "button2", "button3", "button1_id", "button2_id", "button3_id", "buttonExternal",
            "replyTo", "showRequest", "localStorage");
    /** {@code header}: 2 image, 3 video, 4 document. */
    private static final Map<Integer, String> MEDIA = Map.of(2, "image", 3, "video", 4, "document");

    private final Clock clock;
    private final ProviderChecks checks;
    private final FaultInjector faults;
    private final SandboxWindows windows;
    private final ProviderAnswers answers;

    SendButtonsSimulator(Clock clock, ProviderChecks checks, FaultInjector faults, SandboxWindows windows,
            ProviderAnswers answers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.answers = Objects.requireNonNull(answers, "answers");
    }

    /** {@code POST .../sendButtons}: the provider's response JSON, {@code OK} or {@code FAIL} with a reason. */
    public String answer(String requestJson) {
        Instant now = clock.instant();
        try {
            ObjectNode request = checks.request(requestJson);
            checks.apiKey(request);
            faults.inject();
            String to = ProviderChecks.to(request);
            String body = ProviderChecks.body(request);
            Buttons buttons = buttons(request, body);
            Instant windowEnd = openWindowEnd(buttons.from(), to, now);
            windows.businessWrote(buttons.from(), to, now);

            ObjectNode answer = answers.object();
            answer.put("status", "OK");
            answer.put("unique", answers.unique());
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
            answer.put("templateTimeLeft", Long.toString(SandboxWindows.minutesLeft(windowEnd, now)));
            answer.put("reason", 1);
            answer.put("sandbox", true);
            if (buttons.showRequest()) {
                answer.set("request", ProviderChecks.withoutApiKey(request));
            }
            return answers.write(answer);
        } catch (Refused r) {
            return answers.fail(r, now);
        }
    }

    /** The fields as answered: absent optional texts as {@code ""}, button2/3 dropped beside an external button. */
    private record Buttons(String from, int header, String footer, String button1, String button2, String button3,
            String buttonExternal, boolean showRequest) {
    }

    /** Every Send Buttons rule past {@code to} and {@code body}, each problem by field; reason 2 if any. */
    private static Buttons buttons(ObjectNode request, String body) {
        List<String> problems = new ArrayList<>();
        ProviderChecks.unknownFields(request, FIELDS, "Send Buttons", problems);
        String from = ProviderChecks.from(request, problems);

        if (body == null) {
            problems.add("body: must be a string");
        } else if (ProviderFormats.length(body) > BODY_MAX) {
            problems.add("body: at most " + BODY_MAX + " characters, got " + ProviderFormats.length(body));
        }

        int header = 1;
        JsonNode headerNode = request.get("header");
        if (ProviderChecks.absent(headerNode)) {
            problems.add("header: required: 1 none, 2 image, 3 video, 4 document");
        } else {
            Integer h = ProviderChecks.smallInt(headerNode);
            if (h == null || h < 1 || h > 4) {
                problems.add("header: must be 1 (none), 2 (image), 3 (video) or 4 (document)");
            } else {
                header = h;
                ProviderChecks.mediaLink(request, "headerURL", "header", h, MEDIA.get(h), problems);
            }
        }

        String footer = ProviderChecks.optionalText(request, "footer", problems);
        if (footer != null && ProviderFormats.length(footer) > FOOTER_MAX) {
            problems.add("footer: at most " + FOOTER_MAX + " characters, got " + ProviderFormats.length(footer));
        }

        String external = ProviderChecks.optionalText(request, "buttonExternal", problems);
        boolean hasExternal = external != null && !external.isBlank();
        if (hasExternal && !ProviderFormats.isExternalTarget(external)) {
            problems.add("buttonExternal: must be a website URL, a phone number or an email address");
        }

        String[] titles = new String[3];
        for (int i = 1; i <= 3; i++) {
            String field = "button" + i;
            String title = ProviderChecks.optionalText(request, field, problems);
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
            buttonIds(request, titles, problems);
        }
        for (int i = 1; i < 3; i++) {
            for (int j = 0; j < i; j++) {
                if (titles[i] != null && titles[i].equals(titles[j])) {
                    problems.add("button" + (i + 1) + ": same title as button" + (j + 1));
                }
            }
        }

        ProviderChecks.optionalText(request, "replyTo", problems);
        boolean showRequest = ProviderChecks.zeroOrOne(request, "showRequest", problems);
        ProviderChecks.zeroOrOne(request, "localStorage", problems);

        if (!problems.isEmpty()) {
            throw Refused.reason2(problems);
        }
        return new Buttons(from, header, orEmpty(footer), titles[0], orEmpty(titles[1]), orEmpty(titles[2]),
                hasExternal ? external : "", showRequest);
    }

    /** {@code buttonN_id}: at most 256 characters, default {@code N}, unique among the buttons given. */
    private static void buttonIds(ObjectNode request, String[] titles, List<String> problems) {
        String[] ids = new String[3];
        for (int i = 1; i <= 3; i++) {
            String field = "button" + i + "_id";
            JsonNode v = request.get(field);
            String id = Integer.toString(i);
            if (!ProviderChecks.absent(v)) {
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

    /** The end of the open window: reason 8 when the contact never wrote, 7 once 24 hours have passed. */
    private Instant openWindowEnd(String account, String to, Instant now) {
        Instant last = windows.lastInbound(account, to).orElseThrow(() -> new Refused(8, Refused.words(8)));
        Instant end = last.plus(SandboxWindows.WINDOW);
        if (!now.isBefore(end)) {
            throw new Refused(7, Refused.words(7));
        }
        return end;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
