package com.buttonsgateway.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * A validated, normalised request (SPEC 3). The store keeps it as JSON, so it is a plain record that
 * Jackson writes and reads back unchanged. Absent optional values are null; {@code id} is null when
 * the caller gave none (the intake then derives one, see {@link RequestIds}).
 *
 * <p>{@code sendAt} is when the caller wants it sent (SPEC 3, 5), null for now; a time already past
 * also means now. It is kept as ISO-8601 text, since the gateway's mappers have no java.time module.
 */
public record ValidRequest(
        String id,
        String from,
        String to,
        int header,
        String headerURL,
        String body,
        String footer,
        List<Button> buttons,
        String buttonExternal,
        String replyTo,
        Integer showRequest,
        Integer localStorage,
        Template template,
        String whenClosed,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = InstantText.class) Instant sendAt,
        List<String> warnings) {

    public ValidRequest {
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A request with no {@code sendAt}: the form before scheduled sends, kept for callers that build one by hand. */
    public ValidRequest(String id, String from, String to, int header, String headerURL, String body, String footer,
            List<Button> buttons, String buttonExternal, String replyTo, Integer showRequest, Integer localStorage,
            Template template, String whenClosed, List<String> warnings) {
        this(id, from, to, header, headerURL, body, footer, buttons, buttonExternal, replyTo, showRequest,
                localStorage, template, whenClosed, null, warnings);
    }

    /** The same request under another id (the intake derives one when the caller gave none). */
    public ValidRequest withId(String newId) {
        return new ValidRequest(newId, from, to, header, headerURL, body, footer, buttons, buttonExternal,
                replyTo, showRequest, localStorage, template, whenClosed, sendAt, warnings);
    }

    /**
     * True for a template-only request (SPEC 3): {@code whenClosed} template, a {@code template}
     * and no body or buttons. It has no Send Buttons form, so it is always sent as its template, whatever
     * the window. Derived, not stored: the validator never accepts a request with a body but no buttons.
     */
    public boolean templateOnly() {
        return body == null && buttons.isEmpty() && template != null;
    }

    /**
     * The warning for the result when this request goes out as a template (a closed-window fallback or a
     * template-only request): Send Template has no quoted reply, so {@code replyTo} is dropped. Null when
     * there is no {@code replyTo}.
     */
    public String replyToWarning() {
        return replyTo == null ? null : "replyTo is not sent with a template: the provider's Send Template has no "
                + "quoted reply, so the message does not quote " + replyTo;
    }

    /** A reply button: its title and the id the provider returns in the click webhook. */
    public record Button(String title, String id) {
    }

    /** What to send when the window is closed (SPEC 3, 5). headerType is 1, 3, 4 or 5. */
    public record Template(String name, int headerType, String headerLink, List<String> bodyVariables) {

        public Template {
            bodyVariables = bodyVariables == null ? List.of() : List.copyOf(bodyVariables);
        }
    }

    /** Reads the ISO-8601 text {@link ToStringSerializer} wrote for an {@link Instant}. */
    public static final class InstantText extends StdScalarDeserializer<Instant> {

        public InstantText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
            }
        }
    }
}
