package com.buttonsgateway.dispatch;

import com.buttonsgateway.store.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The window decision's steps (SPEC 5) without Camel: what the route's choice reads, and what each branch makes. */
class SendStepsTest {

    private static final String CONTACT = "972501234567";
    private DispatchFixture f = new DispatchFixture(6, "template", "");

    @AfterEach
    void close() {
        f.close();
    }

    private static String doc(String extra) {
        return "{\"to\":\"" + CONTACT + "\",\"body\":\"Your order is ready\",\"button1\":\"OK\"" + extra + "}";
    }

    @Test
    void aContactThatNeverWroteHasAClosedWindowAndTheConfiguredPolicy() throws Exception {
        f.queue("m1", CONTACT, doc(""));
        SendJob job = f.claimOne();
        assertThat(job.window()).isEqualTo("closed");
        assertThat(job.whenClosed()).isEqualTo("template");
        assertThat(job.optedOut()).isFalse();
        assertThat(job.templateOnly()).isFalse();
        assertThat(job.account()).isEqualTo(DispatchFixture.ACCOUNT);
    }

    @Test
    void anOpenWindowMakesTheSendButtonsCallWithTheApiKeyOnlyInItsBody() throws Exception {
        f.contactWrote(CONTACT);
        f.queue("m1", CONTACT, doc(""));
        SendJob job = f.claimOne();
        assertThat(job.window()).isEqualTo("open");
        SendJob call = f.steps.sendButtons(job);
        assertThat(call.route()).isEqualTo("buttons");
        assertThat(call.call().operation()).isEqualTo("sendButtons");
        assertThat(call.call().json()).contains(DispatchFixture.API_KEY, "Your order is ready");
        assertThat(call.call().claimToken()).isEqualTo(job.message().claimToken());
        assertThat(call.transition()).as("nothing is written before the call").isNull();
        assertThat(call.toString()).doesNotContain(DispatchFixture.API_KEY);
    }

    @Test
    void theRequestsWhenClosedWinsOverTheConfiguredOne() throws Exception {
        f.queue("m1", CONTACT, doc(",\"whenClosed\":\"hold\""));
        SendJob job = f.claimOne();
        assertThat(job.whenClosed()).isEqualTo("hold");
        SendJob held = f.steps.hold(job);
        assertThat(held.call()).isNull();
        assertThat(held.transition().to()).isEqualTo(Status.HELD);
        assertThat(f.record(held).recorded().status()).isEqualTo(Status.HELD);
    }

    @Test
    void aClosedWindowWithATemplateMakesTheSendTemplateCall() throws Exception {
        f.queue("m1", CONTACT, doc(",\"template\":{\"name\":\"order_ready\"}"));
        SendJob call = f.steps.sendTemplate(f.claimOne());
        assertThat(call.route()).isEqualTo("template");
        assertThat(call.call().operation()).isEqualTo("sendTemplate");
        assertThat(call.call().json()).contains("order_ready");
    }

    @Test
    void aClosedWindowWithNoTemplateAnywhereIsRefusedNamingBothPlacesOne() throws Exception {
        f.queue("m1", CONTACT, doc(""));
        SendJob refused = f.steps.sendTemplate(f.claimOne());
        assertThat(refused.call()).isNull();
        assertThat(refused.transition().to()).isEqualTo(Status.REJECTED);
        assertThat(refused.transition().reason()).contains("template", "gateway.template.default-name");
        SendJob recorded = f.record(refused);
        assertThat(recorded.finished()).isTrue();
        assertThat(recorded.deadLetter()).isFalse();
    }

    @Test
    void anOptedOutContactIsRefusedWhateverItsWindow() throws Exception {
        f.contactWrote(CONTACT);
        f.optOuts.optOut(DispatchFixture.ACCOUNT, CONTACT);
        f.queue("m1", CONTACT, doc(""));
        SendJob job = f.claimOne();
        assertThat(job.optedOut()).isTrue();
        SendJob refused = f.steps.reject(job);
        assertThat(refused.transition().to()).isEqualTo(Status.REJECTED);
        assertThat(refused.transition().reason()).isEqualTo(SendSteps.OPTED_OUT);
    }

    @Test
    void theRejectPolicySaysTheWindowIsClosed() throws Exception {
        f.queue("m1", CONTACT, doc(",\"whenClosed\":\"reject\""));
        SendJob refused = f.steps.reject(f.claimOne());
        assertThat(refused.transition().reason()).isEqualTo("window closed");
    }

    @Test
    void aMediaHeaderIsCheckedBeforeItsFirstCallOnly() throws Exception {
        f.contactWrote(CONTACT);
        f.queue("m1", CONTACT, doc(",\"header\":2,\"headerURL\":\"https://example.com/a.jpg\""));
        SendJob call = f.steps.sendButtons(f.claimOne());
        assertThat(call.mediaCheck()).isTrue();
    }
}
