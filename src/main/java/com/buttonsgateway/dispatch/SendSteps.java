package com.buttonsgateway.dispatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

import com.buttonsgateway.provider.MediaCheck;
import com.buttonsgateway.provider.ProviderCall;
import com.buttonsgateway.provider.ProviderMapper;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.ValidRequest;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;
import com.buttonsgateway.window.WindowPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The window decision's steps of the {@code send-message} route (SPEC 5): {@link #look} gathers what the decision needs;
 * the route's {@code choice} picks the branch; each branch here makes the provider call or the next state. Nothing is
 * written here: the route's record step writes the state.
 */
public final class SendSteps {

    /** The reason of a message refused because its contact opted out (SPEC 5): also what a legacy row is told. */
    public static final String OPTED_OUT = "contact opted out";

    private final ContactWindows windows;
    private final WindowPolicy policy;
    private final OptOuts optOuts;
    private final ObjectMapper mapper;
    private final ProviderMapper providerMapper = new ProviderMapper();
    private final String apiKey;

    /** @param apiKey goes only into the provider call's body (SPEC 7) */
    public SendSteps(ContactWindows windows, WindowPolicy policy, OptOuts optOuts, ObjectMapper mapper, String apiKey) {
        this.windows = windows;
        this.policy = policy;
        this.optOuts = optOuts;
        this.mapper = mapper;
        this.apiKey = apiKey;
    }

    /** The facts of the decision: the request, the contact's window, an opt-out, the closed-window policy. */
    public SendJob look(SendJob job) {
        StoredMessage m = job.message();
        ValidRequest request = request(m);
        String contact = contactOf(windows, m.contact());
        boolean optedOut = optOuts.optedOutAt(m.account(), contact).isPresent()
                || (!contact.equals(m.contact()) && optOuts.optedOutAt(m.account(), m.contact()).isPresent());
        ContactWindows.View view = optedOut ? null : windows.view(m.account(), contact).orElse(null);
        return job.looked(request, contact, view, optedOut, policy.closedPolicy(request.whenClosed()));
    }

    /** The window is open: the Send Buttons message. */
    public SendJob sendButtons(SendJob job) {
        ValidRequest r = job.request();
        boolean mediaCheck = job.message().attempts() == 0 && r.header() != 1 && r.headerURL() != null;
        return job.calling("buttons", call(job, "sendButtons", providerMapper.sendButtons(r, apiKey)), mediaCheck);
    }

    /**
     * The approved template: the request's, else gateway.template.default-name; with neither the message is refused,
     * naming both.
     */
    public SendJob sendTemplate(SendJob job) {
        ValidRequest r = job.request();
        WindowPolicy.Decision d = policy.decide(false, "template", r.template() == null ? null : r.template().name());
        if (d.route() != WindowPolicy.Route.TEMPLATE) {
            return reject(job, d.reason());
        }
        StoredMessage m = job.message();
        // its headerLink is asked before its first call: the first attempt, or the first after the provider closed the
        // window on its buttons (SPEC 11)
        boolean mediaCheck = (m.attempts() == 0 || (m.rerouted() && m.attempts() == 1)) && r.template() != null
                && r.template().headerType() != 1 && r.template().headerLink() != null;
        return job.calling("template", call(job, "sendTemplate", providerMapper.sendTemplate(r, d.templateName(), apiKey)), mediaCheck);
    }

    /** Held until the contact writes (released by the webhook), or dead after gateway.window.hold-hours. */
    public SendJob hold(SendJob job) {
        return job.moving("hold", Transition.of(Status.SENDING, Status.HELD).route("buttons")
                .reason("window closed: held until the contact writes"), null, null);
    }

    /** Refused: the contact opted out, or the window is closed and the policy says reject. */
    public SendJob reject(SendJob job) {
        String reason = job.optedOut() ? OPTED_OUT
                : policy.decide(false, job.whenClosed(), job.request().template() == null ? null : job.request().template().name()).reason();
        return reject(job, reason == null ? "window closed" : reason);
    }

    /** The media pre-flight refused the header (SPEC 11): REJECTED with the problems by field; no call. */
    public SendJob mediaRefused(SendJob job) {
        MediaCheck.Verdict verdict = job.verdict();
        String reason = verdict.problems().stream().map(Problem::message).collect(Collectors.joining("; "));
        return job.moving(job.route(), Transition.of(Status.SENDING, Status.REJECTED).route(job.route()).reason(reason), null,
                json(verdict.problems()));
    }

    private static SendJob reject(SendJob job, String reason) {
        return job.moving("reject", Transition.of(Status.SENDING, Status.REJECTED).route(job.message().route()).reason(reason), null, null);
    }

    private ProviderCall call(SendJob job, String operation, ObjectNode body) {
        return new ProviderCall(operation, json(body), job.message().claimToken());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ValidRequest request(StoredMessage m) {
        try {
            return mapper.readValue(m.request(), ValidRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored request of " + m.id() + " is unreadable", e);
        }
    }

    /** The contact whose window counts: a provider user id ({@code IL.123...}) is looked up, a number is itself. */
    static String contactOf(ContactWindows windows, String addressed) {
        return addressed.matches("[A-Z]{2}\\.\\d+") ? windows.contactOf(addressed).orElse(addressed) : addressed;
    }

    /** Problems as the JSON array the store keeps ({field, rule, message}). */
    static String problemsJson(ObjectMapper mapper, List<Problem> problems) {
        try {
            return mapper.writeValueAsString(problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
