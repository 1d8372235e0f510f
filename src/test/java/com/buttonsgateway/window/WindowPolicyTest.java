package com.buttonsgateway.window;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowPolicyTest {

    @Test
    void openWindowAlwaysSendsButtons() {
        assertThat(new WindowPolicy("reject", "").decide(true, "hold", null).route()).isEqualTo(WindowPolicy.Route.BUTTONS);
    }

    @Test
    void closedWindowSendsTheRequestsTemplateOrTheDefault() {
        WindowPolicy policy = new WindowPolicy("template", "fallback_tpl");
        assertThat(policy.decide(false, null, "own_tpl").templateName()).isEqualTo("own_tpl");
        assertThat(policy.decide(false, null, null).templateName()).isEqualTo("fallback_tpl");
        assertThat(policy.decide(false, null, null).routeName()).isEqualTo("template");
    }

    @Test
    void closedWindowWithoutAnyTemplateIsRejectedNamingTheFix() {
        WindowPolicy.Decision d = new WindowPolicy("template", "").decide(false, null, null);
        assertThat(d.route()).isEqualTo(WindowPolicy.Route.REJECT);
        assertThat(d.reason()).contains("gateway.template.default-name");
    }

    @Test
    void requestWhenClosedOverridesTheConfiguredPolicy() {
        WindowPolicy policy = new WindowPolicy("template", "tpl");
        assertThat(policy.decide(false, "hold", null).route()).isEqualTo(WindowPolicy.Route.HOLD);
        assertThat(policy.decide(false, "REJECT", null).reason()).isEqualTo("window closed");
        assertThat(new WindowPolicy("hold", "").decide(false, "template", "t").route()).isEqualTo(WindowPolicy.Route.TEMPLATE);
    }

    @Test
    void unknownConfiguredPolicyIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new WindowPolicy("wait", "")).hasMessageContaining("gateway.window.when-closed");
    }
}
