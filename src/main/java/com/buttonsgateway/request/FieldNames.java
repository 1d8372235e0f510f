package com.buttonsgateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The field names a request may carry (SPEC 3) and the problems for any other: an unknown field is
 * named with the closest known one; {@code apiKey} is refused because it comes from configuration.
 * Values are never read here, so no value (an API key least of all) reaches a message.
 */
final class FieldNames {

    static final List<String> REQUEST = List.of("id", "from", "to", "header", "headerURL", "body", "footer",
            "button1", "button2", "button3", "button1_id", "button2_id", "button3_id", "buttonExternal",
            "replyTo", "showRequest", "localStorage", "template", "whenClosed", "sendAt");

    static final List<String> TEMPLATE = templateNames();

    private static final BigInteger THREE = BigInteger.valueOf(3);
    private static final Pattern BUTTON = Pattern.compile("button(\\d+)(_id)?");
    private static final Pattern BODY_VARIABLE = Pattern.compile("bodyVariable(\\d+)");

    private FieldNames() {
    }

    /** Problems for the top-level names of a request. */
    static void checkRequest(JsonNode item, List<Problem> problems) {
        check(item, "", REQUEST, problems);
    }

    /** Problems for the names inside {@code template}, reported as {@code template.xxx}. */
    static void checkTemplate(JsonNode template, List<Problem> problems) {
        check(template, "template.", TEMPLATE, problems);
    }

    private static void check(JsonNode object, String prefix, List<String> known, List<Problem> problems) {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            String name = entry.getKey();
            if (known.contains(name)) {
                continue;
            }
            String field = prefix + name;
            if (isApiKey(name)) {
                // A null value is an absent field (SPEC 3); any other value is refused, and never shown.
                if (!entry.getValue().isNull()) {
                    problems.add(new Problem(field, "not-allowed", field + " must not be in a request: the API key "
                            + "comes from configuration (gateway.provider.api-key)"));
                }
                continue;
            }
            problems.add(new Problem(field, "unknown-field", unknownMessage(field, name, prefix, known)));
        }
    }

    private static String unknownMessage(String field, String name, String prefix, List<String> known) {
        String start = "unknown field '" + field + "'";
        Matcher button = BUTTON.matcher(name);
        if (prefix.isEmpty() && button.matches() && new BigInteger(button.group(1)).compareTo(THREE) > 0) {
            return start + ": at most 3 buttons are allowed (button1..button3)";
        }
        Matcher variable = BODY_VARIABLE.matcher(name);
        if (!prefix.isEmpty() && variable.matches() && !TEMPLATE.contains(name)) {
            return start + ": body variables are bodyVariable1..bodyVariable10";
        }
        if (prefix.isEmpty()) {
            String templateField = closest(name, TEMPLATE, 0);
            if (templateField != null) {
                return start + ": it belongs inside \"template\" (did you mean 'template." + templateField + "'?)";
            }
        }
        return start + " (did you mean '" + prefix + closest(name, known, Integer.MAX_VALUE) + "'?)";
    }

    private static boolean isApiKey(String name) {
        return name.replace("_", "").replace("-", "").equalsIgnoreCase("apikey");
    }

    /** The known name nearest to {@code name} (Levenshtein, ignoring case), or null if none is within {@code max}. */
    static String closest(String name, List<String> known, int max) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : known) {
            int distance = levenshtein(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= max ? best : null;
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> templateNames() {
        List<String> names = new ArrayList<>(List.of("name", "headerType", "headerLink"));
        for (int i = 1; i <= 10; i++) {
            names.add("bodyVariable" + i);
        }
        return List.copyOf(names);
    }
}
