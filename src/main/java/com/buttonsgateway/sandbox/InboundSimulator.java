package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A contact writing in or clicking a button, played into the sandbox (SPEC 8 {@code POST /sandbox/inbound}, route
 * {@code sandbox-inbound}): it opens the sandbox's window and answers the provider's incoming-message webhook payload
 * (provider/README.md) that the route delivers to the gateway's webhook URL. Camel-free and without I/O; thread-safe.
 */
public final class InboundSimulator {

    private static final Set<String> FIELDS = Set.of("from", "to", "type", "body", "buttonId", "quoteUnique");
    /** The webhook's message types (provider/README.md). */
    private static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "location", "ptt",
            "document", "button", "contacts", "list", "reaction", "order");

    private final Clock clock;
    private final ObjectMapper mapper;
    private final SandboxWindows windows;
    private final ProviderAnswers answers;

    InboundSimulator(Clock clock, ObjectMapper mapper, SandboxWindows windows, ProviderAnswers answers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.answers = Objects.requireNonNull(answers, "answers");
    }

    /**
     * Plays a contact writing in: records it, opens/refreshes the sandbox's window of (account, contact) at
     * {@code clock.instant()}, and answers the webhook payload to deliver to the gateway.
     *
     * @param requestJson    {@code {"from": contact, "to"?: account, "type"?, "body", "buttonId"?, "quoteUnique"?}}
     * @param defaultAccount the account used when {@code to} is not given
     * @throws SandboxInputException naming every bad field
     */
    public Inbound play(String requestJson, String defaultAccount) {
        JsonNode parsed;
        try {
            parsed = requestJson == null || requestJson.isBlank() ? null : mapper.readTree(requestJson);
        } catch (JsonProcessingException e) {
            throw new SandboxInputException("inbound: not JSON (" + ProviderChecks.where(e) + ")");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new SandboxInputException("inbound: the body must be a JSON object with from and body");
        }
        List<String> problems = new ArrayList<>();
        ProviderChecks.unknownFields(parsed, FIELDS, "inbound", problems);

        String contact = number(parsed, "from", "the contact's international number", problems);
        String account;
        JsonNode toNode = parsed.get("to");
        if (ProviderChecks.absent(toNode) || (toNode.isTextual() && toNode.textValue().isEmpty())) {
            account = defaultAccount == null || defaultAccount.isBlank() ? null : defaultAccount.trim();
            if (account == null) {
                problems.add("to: required (no default account)");
            } else if (!ProviderFormats.isInternationalNumber(account)) {
                problems.add("to: the default account is not an international number (digits only, 8 to 15)");
                account = null;
            }
        } else {
            account = number(parsed, "to", "the business account's international number", problems);
        }

        String type = "text";
        JsonNode typeNode = parsed.get("type");
        if (!ProviderChecks.absent(typeNode)) {
            if (typeNode.isTextual() && TYPES.contains(typeNode.textValue())) {
                type = typeNode.textValue();
            } else {
                problems.add("type: must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
            }
        }
        String body = null;
        JsonNode bodyNode = parsed.get("body");
        if (ProviderChecks.absent(bodyNode) || (bodyNode.isTextual() && bodyNode.textValue().isEmpty())) {
            problems.add("body: required (the message text; for type button the clicked button's text)");
        } else if (!bodyNode.isTextual()) {
            problems.add("body: must be a string");
        } else {
            body = bodyNode.textValue();
        }
        String buttonId = null;
        JsonNode buttonNode = parsed.get("buttonId");
        if (!ProviderChecks.absent(buttonNode)) {
            if (buttonNode.isTextual() || buttonNode.isIntegralNumber()) {
                buttonId = buttonNode.asText();
            } else {
                problems.add("buttonId: must be a string");
            }
        }
        String quoteUnique = null;
        JsonNode quoteNode = parsed.get("quoteUnique");
        if (!ProviderChecks.absent(quoteNode)) {
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
        String userId = windows.contactWrote(account, contact, now);
        String unique = answers.unique();

        ObjectNode hook = answers.object();
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
        Instant conversationEnd = windows.conversationEnd(account, contact).orElse(null);
        hook.put("conversationTimeLeft", Long.toString(SandboxWindows.minutesLeft(conversationEnd, now)));
        return new Inbound(unique, answers.write(hook));
    }

    /** An international number field (the contact, the account): groups refused by name. */
    private static String number(JsonNode request, String field, String what, List<String> problems) {
        JsonNode v = request.get(field);
        if (ProviderChecks.absent(v) || (v.isTextual() && v.textValue().isBlank())) {
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
}
