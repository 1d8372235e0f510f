package com.buttonsgateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code template} envelope field (SPEC 3): what Send Template gets when the window is closed. */
final class TemplateRules {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final int VARIABLES = 10;
    /** Template body plus variables is at most 1024 characters (provider README), so each is too. */
    private static final int MAX_VARIABLE = 1024;

    private TemplateRules() {
    }

    /** The template, or null when absent or when a problem was recorded. */
    static ValidRequest.Template read(FieldReader request, JsonNode value, List<Problem> problems) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            request.problem("template", "type", "template must be an object with name, headerType, headerLink "
                    + "and bodyVariable1..bodyVariable10, not " + FieldReader.describe(value));
            return null;
        }
        int before = problems.size();
        FieldNames.checkTemplate(value, problems);
        FieldReader in = new FieldReader(value, "template.", problems);
        String name = name(in);
        Integer headerType = headerType(in);
        String headerLink = headerLink(in, headerType);
        List<String> variables = variables(in);
        if (problems.size() == before) {
            total(request, variables);
        }
        return problems.size() > before ? null : new ValidRequest.Template(name, headerType, headerLink, variables);
    }

    private static String name(FieldReader in) {
        String name = in.requiredText("name");
        if (name != null && !NAME.matcher(name).matches()) {
            in.problem("name", "pattern", "template.name may contain only letters, digits and '_'");
            return null;
        }
        return name;
    }

    private static Integer headerType(FieldReader in) {
        Integer type = in.choice("headerType", Set.of(1, 2, 3, 4, 5),
                "1 (none), 3 (image), 4 (video) or 5 (document)", 1);
        if (type != null && type == 2) {
            in.problem("headerType", "enum", "template.headerType 2 is a Send Buttons header number; a template "
                    + "takes 1 (none), 3 (image), 4 (video) or 5 (document)");
            return null;
        }
        return type;
    }

    private static String headerLink(FieldReader in, Integer headerType) {
        String link = in.optionalText("headerLink");
        if (headerType == null || in.failed("headerLink")) {
            return link;
        }
        if (headerType == 1) {
            if (link != null) {
                in.problem("headerLink", "not-allowed",
                        "template.headerLink is only for headerType 3, 4 or 5 (headerType is 1, none)");
            }
            return null;
        }
        String kindIs = "template.headerType is " + headerType + " (" + kind(headerType).name() + ")";
        if (link == null) {
            in.problem("headerLink", "required", "template.headerLink is required when " + kindIs);
            return null;
        }
        MediaLinks.check(in, "headerLink", link, kind(headerType), kindIs);
        return link;
    }

    private static MediaLinks.Kind kind(int headerType) {
        return switch (headerType) {
            case 3 -> MediaLinks.Kind.IMAGE;
            case 4 -> MediaLinks.Kind.VIDEO;
            default -> MediaLinks.Kind.DOCUMENT;
        };
    }

    /**
     * The provider refuses a template whose body and variables together pass 1024 characters (reason 2 naming the
     * variables, SPEC 7); the template body is the provider's, so the variables alone are checked here, before sending.
     */
    private static void total(FieldReader request, List<String> variables) {
        int total = variables.stream().mapToInt(FieldReader::codePoints).sum();
        if (total > MAX_VARIABLE) {
            request.problem("template", "max-total-length", "template.bodyVariable1..bodyVariable" + variables.size()
                    + " are " + total + " characters together; the provider allows at most " + MAX_VARIABLE
                    + " for the template body and its variables together");
        }
    }

    private static List<String> variables(FieldReader in) {
        List<String> variables = new ArrayList<>();
        String missing = null;
        for (int i = 1; i <= VARIABLES; i++) {
            String name = "bodyVariable" + i;
            if (!in.present(name)) {
                missing = missing == null ? name : missing;
                continue;
            }
            String value = in.text(name);
            if (value == null) {
                continue;
            }
            if (missing != null) {
                in.problem(name, "gap", "template." + name + " is given without template." + missing
                        + "; body variables are numbered from 1 without gaps");
            } else if (value.isBlank()) {
                in.problem(name, "empty", "template." + name + " must not be blank");
            } else if (FieldReader.codePoints(value) > MAX_VARIABLE) {
                in.problem(name, "max-length", "template." + name + " is " + FieldReader.codePoints(value)
                        + " characters; at most " + MAX_VARIABLE + " are allowed");
            }
            variables.add(value);
        }
        return variables;
    }
}
