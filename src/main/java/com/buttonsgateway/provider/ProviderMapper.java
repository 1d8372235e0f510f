package com.buttonsgateway.provider;

import com.buttonsgateway.request.ValidRequest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Builds the provider's request bodies from a validated request, with the field names of its pages
 * (provider/send-buttons.txt, provider/README.md). Absent optional fields are left out rather than
 * sent empty. The API key is the caller's, from configuration (SPEC 2); it is never in a request.
 */
public final class ProviderMapper {

    private final JsonNodeFactory nodes;

    public ProviderMapper() {
        this(JsonNodeFactory.instance);
    }

    public ProviderMapper(JsonNodeFactory nodes) {
        this.nodes = nodes;
    }

    /**
     * Send Buttons. With buttonExternal only button1 goes, as its label: the provider ignores the rest.
     *
     * @throws IllegalArgumentException for a template-only request: it has no body or buttons to send
     */
    public ObjectNode sendButtons(ValidRequest r, String apiKey) {
        if (r.templateOnly()) {
            throw new IllegalArgumentException("a template-only request has no Send Buttons form: it is always "
                    + "sent with Send Template");
        }
        ObjectNode json = start(r, apiKey);
        json.put("header", r.header());
        putIfPresent(json, "headerURL", r.headerURL());
        json.put("body", r.body());
        putIfPresent(json, "footer", r.footer());
        boolean external = r.buttonExternal() != null;
        List<ValidRequest.Button> buttons = external ? r.buttons().subList(0, Math.min(1, r.buttons().size()))
                : r.buttons();
        for (int i = 0; i < buttons.size(); i++) {
            json.put("button" + (i + 1), buttons.get(i).title());
        }
        if (!external) {
            // Ids only for reply buttons: an external button opens a link and is never reported back.
            for (int i = 0; i < buttons.size(); i++) {
                json.put("button" + (i + 1) + "_id", buttons.get(i).id());
            }
        }
        putIfPresent(json, "buttonExternal", r.buttonExternal());
        putIfPresent(json, "replyTo", r.replyTo());
        if (r.showRequest() != null) {
            json.put("showRequest", r.showRequest());
        }
        if (r.localStorage() != null && !external) {
            json.put("localStorage", r.localStorage());
        }
        return json;
    }

    /**
     * Send Template: the request's own template when it has one, else {@code templateName} (from
     * {@code gateway.template.default-name}) with no header and no variables (SPEC 5).
     *
     * @throws IllegalArgumentException when there is neither (dispatch rejects such a message first)
     */
    public ObjectNode sendTemplate(ValidRequest r, String templateName, String apiKey) {
        ValidRequest.Template template = r.template();
        if (template == null) {
            if (templateName == null || templateName.isBlank()) {
                throw new IllegalArgumentException("no template: the request names none and "
                        + "gateway.template.default-name is empty");
            }
            template = new ValidRequest.Template(templateName.strip(), 1, null, List.of());
        }
        ObjectNode json = start(r, apiKey);
        json.put("name", template.name());
        json.put("headerType", template.headerType());
        putIfPresent(json, "headerLink", template.headerLink());
        for (int i = 0; i < template.bodyVariables().size(); i++) {
            json.put("bodyVariable" + (i + 1), template.bodyVariables().get(i));
        }
        return json;
    }

    private ObjectNode start(ValidRequest r, String apiKey) {
        ObjectNode json = nodes.objectNode();
        putIfPresent(json, "apiKey", apiKey == null || apiKey.isEmpty() ? null : apiKey);
        json.put("from", r.from());
        json.put("to", r.to());
        return json;
    }

    private static void putIfPresent(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
