package com.buttonsgateway.dispatch;

import com.buttonsgateway.provider.CallOutcome;
import com.buttonsgateway.provider.MediaCheck;
import com.buttonsgateway.provider.ProviderCall;
import com.buttonsgateway.provider.ProviderReply;
import com.buttonsgateway.request.ValidRequest;
import com.buttonsgateway.store.GroupCommit;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;

/**
 * One claimed message on its way through the {@code send-message} route (SPEC 5, 7): the route's body from the claim to
 * the result step. Each step returns a new one with what it learnt; the route's {@code choice} steps read it
 * ({@code ${body.optedOut}}, {@code ${body.window}}, {@code ${body.whenClosed}}, {@code ${body.next}}, ...).
 *
 * @param message    the claimed row (SENDING, with its claim token)
 * @param request    its stored request, read by {@code sendSteps.look}
 * @param contact    the contact whose window counts (a provider user id looked up to its number)
 * @param view       the contact's window as the store knows it, or null when it never wrote
 * @param optedOut   whether the contact opted out (SPEC 5)
 * @param whenClosed the closed-window policy of this message: the request's {@code whenClosed}, else
 *                   {@code gateway.window.when-closed}
 * @param route      buttons, template, hold or reject: the branch the window choice took
 * @param call       the provider call to make, or null when none is made
 * @param mediaCheck whether the media header is asked before this call (SPEC 11)
 * @param verdict    the media pre-flight's verdict, when it ran
 * @param reply      how the call ended, when it was made
 * @param outcome    what the reply means (SPEC 7), when there was one
 * @param next       the outcome's branch
 * @param transition the next state to write, with {@code alongside} in its transaction (the window's move)
 * @param problems   problems by field written with a refusal (the media pre-flight), or null
 * @param recorded   the row as committed; null until then, and when the claim was taken over meanwhile
 */
public record SendJob(StoredMessage message, ValidRequest request, String contact, ContactWindows.View view, boolean optedOut,
                      String whenClosed, String route, ProviderCall call, boolean mediaCheck, MediaCheck.Verdict verdict,
                      ProviderReply reply, CallOutcome outcome, Next next, Transition transition,
                      GroupCommit.Work<Void> alongside, String problems, StoredMessage recorded)
        implements ProviderCall.Carrier {

    /** The branches of the outcome choice (SPEC 7 and DESIGN's "a message's life"). */
    public enum Next {
        /** Accepted by the provider: SENT. */
        SENT,
        /** A failure worth another try: QUEUED after the backoff. */
        RETRY,
        /** The provider is down (its circuit counts the failure): QUEUED, not counted as an attempt. */
        OUTAGE,
        /** The provider says the window is closed: QUEUED to be decided again, once, by the closed-window policy. */
        REDECIDE,
        /** Reason 2/3: the sender account is paused, the message waits. */
        PAUSE,
        /** The circuit opened while the call waited for its slot: back to the queue as it was, no attempt. */
        HELD_BACK,
        /** Nothing more to try: DEAD, a dead letter. */
        DEAD
    }

    public static SendJob claimed(StoredMessage message) {
        return new SendJob(message, null, null, null, false, null, null, null, false, null, null, null, null, null, null, null, null);
    }

    // --- what the route's choices read -----------------------------------------------------------

    /** The sender account: the key of the per-account rate ceiling. */
    public String account() {
        return message.account();
    }

    /** "open" or "closed": the contact's 24-hour window now (SPEC 5); a contact that never wrote is closed. */
    public String window() {
        return view != null && view.open() ? "open" : "closed";
    }

    /** A request with a template and no buttons form: its template whatever the window (SPEC 3). */
    public boolean templateOnly() {
        return request != null && request.templateOnly();
    }

    /** The message is finished (SENT, DEAD, REJECTED): its result step is due. */
    public boolean finished() {
        return recorded != null && recorded.status().finished();
    }

    /** The message is DEAD: its dead letter is due. */
    public boolean deadLetter() {
        return recorded != null && recorded.status() == Status.DEAD;
    }

    /** The media pre-flight refused the media header (SPEC 11): no call, REJECTED with the problems. */
    public boolean mediaRefused() {
        return verdict != null && verdict.refused();
    }

    // --- the steps' results ----------------------------------------------------------------------

    public SendJob looked(ValidRequest request, String contact, ContactWindows.View view, boolean optedOut, String whenClosed) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, call, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    public SendJob calling(String route, ProviderCall call, boolean mediaCheck) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, call, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    public SendJob checked(MediaCheck.Verdict verdict) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, call, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    @Override
    public SendJob replied(ProviderReply reply) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, call, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    public SendJob classified(CallOutcome outcome, Next next) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, call, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    /** The next state; no call is made after it ({@code call} is dropped). */
    public SendJob moving(String route, Transition transition, GroupCommit.Work<Void> alongside, String problems) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, null, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    public SendJob moving(Transition transition) {
        return moving(route, transition, null, null);
    }

    public SendJob recorded(StoredMessage recorded) {
        return new SendJob(message, request, contact, view, optedOut, whenClosed, route, call, mediaCheck, verdict, reply, outcome,
                next, transition, alongside, problems, recorded);
    }

    @Override
    public String toString() {
        // never the request or the call's body: the call carries the API key
        return "SendJob[" + message.id() + ", route=" + route + ", next=" + next + (transition == null ? "" : ", to=" + transition.to()) + "]";
    }
}
