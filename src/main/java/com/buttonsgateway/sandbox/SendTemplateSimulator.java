package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The sandbox's Send Template (SPEC 8, provider/README.md; route {@code sandbox-send-template}): validated as the
 * provider documents it, allowed whatever the window (it starts a conversation, it opens no window), any template
 * name accepted. Thread-safe.
 */
public final class SendTemplateSimulator {

    static final int VARIABLES = 10;
    /** "template body plus variables at most 1024 characters" (provider/README.md). */
    static final int TEXT_MAX = 1024;

    private static final Set<String> FIELDS = fields();
    /** {@code headerType}: 3 image, 4 video, 5 document. */
    private static final Map<Integer, String> MEDIA = Map.of(3, "image", 4, "video", 5, "document");

    private final Clock clock;
    private final ProviderChecks checks;
    private final FaultInjector faults;
    private final SandboxWindows windows;
    private final ProviderAnswers answers;

    SendTemplateSimulator(Clock clock, ProviderChecks checks, FaultInjector faults, SandboxWindows windows,
            ProviderAnswers answers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.answers = Objects.requireNonNull(answers, "answers");
    }

    /** {@code POST .../sendTemplate}: the provider's response JSON, {@code OK} or {@code FAIL} with a reason. */
    public String answer(String requestJson) {
        Instant now = clock.instant();
        try {
            ObjectNode request = checks.request(requestJson);
            checks.apiKey(request);
            faults.inject();
            String to = ProviderChecks.to(request);

            List<String> problems = new ArrayList<>();
            ProviderChecks.unknownFields(request, FIELDS, "Send Template", problems);
            String from = ProviderChecks.from(request, problems);
            String name = ProviderChecks.optionalText(request, "name", problems);
            if (name == null || name.isBlank()) {
                if (!problems.stream().anyMatch(p -> p.startsWith("name:"))) {
                    problems.add("name: required (the approved template's name)");
                }
            }
            int headerType = 1;
            JsonNode ht = request.get("headerType");
            if (!ProviderChecks.absent(ht)) {
                Integer h = ProviderChecks.smallInt(ht);
                if (h == null || !(h == 1 || MEDIA.containsKey(h))) {
                    problems.add("headerType: must be 1 (none), 3 (image), 4 (video) or 5 (document)");
                } else {
                    headerType = h;
                }
            }
            if (problems.stream().noneMatch(p -> p.startsWith("headerType:"))) {
                ProviderChecks.mediaLink(request, "headerLink", "headerType", headerType, MEDIA.get(headerType), problems);
            }
            bodyVariables(request, problems);
            if (!problems.isEmpty()) {
                throw Refused.reason2(problems);
            }

            windows.businessWrote(from, to, now);
            Instant windowEnd = windows.lastInbound(from, to).map(last -> last.plus(SandboxWindows.WINDOW)).orElse(null);
            ObjectNode answer = answers.object();
            answer.put("status", "OK");
            answer.put("unique", answers.unique());
            answer.put("name", name);
            answer.put("headerType", headerType);
            answer.put("timestamp", now.getEpochSecond());
            answer.put("from", from);
            answer.put("to", to);
            answer.put("templateTimeLeft", Long.toString(SandboxWindows.minutesLeft(windowEnd, now)));
            answer.put("reason", 1);
            answer.put("sandbox", true);
            return answers.write(answer);
        } catch (Refused r) {
            return answers.fail(r, now);
        }
    }

    /** {@code bodyVariable1..10}: strings, no gaps, together within {@link #TEXT_MAX} (provider/README.md). */
    private static void bodyVariables(ObjectNode request, List<String> problems) {
        int total = 0;
        int firstMissing = 0;
        for (int i = 1; i <= VARIABLES; i++) {
            String field = "bodyVariable" + i;
            JsonNode v = request.get(field);
            if (ProviderChecks.absent(v)) {
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
        if (total > TEXT_MAX) {
            problems.add("bodyVariable1..bodyVariable10: template body plus variables at most " + TEXT_MAX
                    + " characters, the variables alone have " + total);
        }
    }

    private static Set<String> fields() {
        Set<String> fields = new LinkedHashSet<>(List.of("apiKey", "from", "to", "name", "headerType", "headerLink"));
        for (int i = 1; i <= VARIABLES; i++) {
            fields.add("bodyVariable" + i);
        }
        return Set.copyOf(fields);
    }
}
