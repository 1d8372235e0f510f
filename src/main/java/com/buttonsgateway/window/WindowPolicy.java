package com.buttonsgateway.window;

import java.util.Locale;

/**
 * The decision of SPEC 5: an open window sends buttons; a closed (or unknown) one follows the request's
 * {@code whenClosed}, else {@code gateway.window.when-closed}.
 */
public final class WindowPolicy {

    public enum Route { BUTTONS, TEMPLATE, HOLD, REJECT }

    public record Decision(Route route, String templateName, String reason) {
        public String routeName() {
            return route.name().toLowerCase(Locale.ROOT);
        }
    }

    private final String whenClosed;
    private final String defaultTemplate;

    public WindowPolicy(String whenClosed, String defaultTemplate) {
        this.whenClosed = normalise(whenClosed, "template");
        if (!this.whenClosed.matches("template|hold|reject")) {
            throw new IllegalArgumentException("gateway.window.when-closed must be template, hold or reject, not '" + whenClosed + "'");
        }
        this.defaultTemplate = defaultTemplate == null || defaultTemplate.isBlank() ? null : defaultTemplate.trim();
    }

    /**
     * @param open              whether the window of (from, to) is open now
     * @param requestWhenClosed the request's own {@code whenClosed}, or null
     * @param requestTemplate   the request's template name, or null
     */
    public Decision decide(boolean open, String requestWhenClosed, String requestTemplate) {
        if (open) {
            return new Decision(Route.BUTTONS, null, null);
        }
        String policy = normalise(requestWhenClosed, whenClosed);
        return switch (policy) {
            case "hold" -> new Decision(Route.HOLD, null, "window closed: held until the contact writes");
            case "reject" -> new Decision(Route.REJECT, null, "window closed");
            default -> {
                String name = requestTemplate != null && !requestTemplate.isBlank() ? requestTemplate : defaultTemplate;
                yield name == null
                        ? new Decision(Route.REJECT, null,
                                "window closed and no template: give the request a 'template' or set gateway.template.default-name")
                        : new Decision(Route.TEMPLATE, name, null);
            }
        };
    }

    /**
     * The closed-window policy of one message (SPEC 5): the request's {@code whenClosed}, else
     * {@code gateway.window.when-closed}; template, hold or reject.
     */
    public String closedPolicy(String requestWhenClosed) {
        return normalise(requestWhenClosed, whenClosed);
    }

    private static String normalise(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim().toLowerCase(Locale.ROOT);
    }
}
