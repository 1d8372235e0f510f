package com.buttonsgateway.ops;

import java.util.Map;
import java.util.stream.Stream;

import com.buttonsgateway.dispatch.Dispatcher;
import com.buttonsgateway.dispatch.ProviderCircuit;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.MessageStore;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The named checks of SPEC 9 under {@code /observe/health}: {@code store}, {@code dispatcher}, {@code provider} (which
 * provider the gateway sends to: its detail says {@code sandbox} when nothing reaches WhatsApp, SPEC 8; DOWN while its
 * circuit is open, naming the last error, SPEC 7), and one {@code account-<from>} per paused sender account (DOWN, with
 * the provider's reason).
 */
public final class GatewayHealthChecks implements HealthCheckRepository {

    private final Accounts accounts;
    private final HealthCheck storeCheck;
    private final HealthCheck dispatcherCheck;
    private final HealthCheck providerCheck;
    private boolean enabled = true;

    private GatewayHealthChecks(CamelContext context, MessageStore store, Accounts accounts, Dispatcher dispatcher, boolean sandbox,
                                String providerUrl, ProviderCircuit circuit) {
        this.accounts = accounts;
        // SPEC 9: DOWN when the database does not answer, and when the store writer (every claim and outcome goes
        // through it) has died or hangs, not only when a route is stopped
        this.storeCheck = new Check("store", (b, s) -> {
            String writer = store.writerProblem();
            if (writer != null) {
                b.message(writer).down();
            } else if (store.ping()) {
                b.up();
            } else {
                b.message("the store does not answer").down();
            }
        });
        this.dispatcherCheck = new Check("dispatcher", (b, s) -> {
            ServiceStatus status = context.getRouteController().getRouteStatus("dispatcher");
            String loop = dispatcher.claimLoopProblem();
            if (status != null && !status.isStarted()) {
                b.message("the dispatcher route is " + status).down();
            } else if (loop != null) {
                b.message(loop).down();
            } else {
                b.up();
            }
        });
        this.providerCheck = new Check("provider", (b, s) -> {
            b.detail("provider", sandbox ? "sandbox" : "live").detail("url", providerUrl);
            ProviderCircuit.State state = circuit.state();
            b.detail("circuit", state.open() ? "open" : "closed");
            if (state.open()) {
                // SPEC 7: an outage stopped dispatch; messages wait QUEUED without spending their attempts
                b.detail("circuit.since", String.valueOf(state.since())).detail("circuit.nextProbeAt", String.valueOf(state.nextProbeAt()))
                        .message("provider circuit open since " + state.since() + " after retryable failures in a row, the last: "
                                + state.lastError() + "; dispatch stopped (messages wait QUEUED, attempts not counted), next probe at "
                                + state.nextProbeAt() + (sandbox ? " (sandbox)" : ""))
                        .down();
                return;
            }
            if (sandbox) {
                b.message("sandbox: messages go to the built-in simulator and never reach WhatsApp"
                        + " (set gateway.provider.api-key to go live)");
            }
            b.up();
        });
    }

    /** Registers the checks with Camel's health registry once the context has one (it is created during start). */
    public static void register(CamelContext context, MessageStore store, Accounts accounts, Dispatcher dispatcher, boolean sandbox,
                                String providerUrl, ProviderCircuit circuit) throws Exception {
        GatewayHealthChecks checks = new GatewayHealthChecks(context, store, accounts, dispatcher, sandbox, providerUrl, circuit);
        context.addStartupListener((ctx, alreadyStarted) -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(ctx);
            if (registry != null) {
                registry.register(checks);
            }
        });
    }

    @Override
    public String getId() {
        return "gateway";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        Stream<HealthCheck> paused = accounts.pausedAccounts().entrySet().stream().map(GatewayHealthChecks::paused);
        return Stream.concat(Stream.of(storeCheck, dispatcherCheck, providerCheck), paused);
    }

    private static HealthCheck paused(Map.Entry<String, String> account) {
        return new Check("account-" + account.getKey(), (b, s) -> b
                .message("dispatch paused for account " + account.getKey() + ": " + account.getValue()
                        + " (fix the configuration, then POST /api/accounts/" + account.getKey() + "/resume)")
                .detail("account", account.getKey())
                .down());
    }

    private interface Body {
        void call(HealthCheckResultBuilder builder, Map<String, Object> options);
    }

    private static final class Check extends AbstractHealthCheck {
        private final Body body;

        Check(String id, Body body) {
            super("gateway", id);
            this.body = body;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            body.call(builder, options);
        }

        @Override
        public boolean isLiveness() {
            return false;
        }
    }
}
