package com.buttonsgateway.config;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import com.buttonsgateway.dispatch.Backoff;
import com.buttonsgateway.dispatch.DispatchMetrics;
import com.buttonsgateway.dispatch.Dispatcher;
import com.buttonsgateway.dispatch.Housekeeping;
import com.buttonsgateway.dispatch.Outcomes;
import com.buttonsgateway.dispatch.RecordOutcome;
import com.buttonsgateway.dispatch.Replay;
import com.buttonsgateway.dispatch.ResultStep;
import com.buttonsgateway.dispatch.SendSteps;
import com.buttonsgateway.dispatch.ProviderCircuit;
import com.buttonsgateway.intake.file.FileIntake;
import com.buttonsgateway.intake.file.InboxFiles;
import com.buttonsgateway.intake.Intake;
import com.buttonsgateway.config.IntakeBeans;
import com.buttonsgateway.config.Banner;
import com.buttonsgateway.ops.AdminApi;
import com.buttonsgateway.ops.ConsoleAssets;
import com.buttonsgateway.ops.ConsoleViews;
import com.buttonsgateway.ops.DuplicateReports;
import com.buttonsgateway.ops.GatewayHealthChecks;
import com.buttonsgateway.webhook.HookHandover;
import com.buttonsgateway.ops.HttpDoors;
import com.buttonsgateway.dispatch.ResultFiles;
import com.buttonsgateway.config.Secrets;
import com.buttonsgateway.webhook.Webhook;
import com.buttonsgateway.provider.OutcomeClassifier;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.request.RequestValidator;
import com.buttonsgateway.sandbox.SandboxProvider;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.CircuitStore;
import com.buttonsgateway.store.ConsoleQueries;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.InboxClaims;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.window.ContactWindows;
import com.buttonsgateway.window.WindowPolicy;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.flywaydb.core.Flyway;

/**
 * Builds the gateway's stateful beans once (STYLE 2: not in reloadable YAML): the store's DataSource and schema,
 * the store, window, intake, dispatch and sandbox beans, the generated secrets, and the derived properties
 * {@code gateway.sandbox.active} and {@code gateway.provider.url} the routes read.
 */
public class GatewayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Settings s = new Settings(pc);
        Path home = Path.of(s.get("gateway.home", "."));
        Path data = home.resolve("data");
        Files.createDirectories(data);
        for (String dir : new String[] {"gateway.inbox.dir", "gateway.results.dir", "gateway.dead-letter.dir", "gateway.replies.dir"}) {
            Files.createDirectories(Path.of(s.require(dir)));
        }

        // SPEC 1: tokens generated at first start, kept beside the data, never printed
        Secrets secrets = new Secrets(data.resolve("secrets.properties"));
        for (String key : new String[] {"gateway.webhook.token", "gateway.admin.token"}) {
            if (s.get(key, "").isEmpty()) {
                pc.addOverrideProperty(key, secrets.getOrGenerate(key));
            }
        }

        String apiKey = s.get("gateway.provider.api-key", "");
        String sandboxSetting = s.get("gateway.sandbox.enabled", "");
        boolean sandbox = sandboxSetting.isEmpty() ? apiKey.isEmpty() : Boolean.parseBoolean(sandboxSetting);
        int port = s.integer("camel.server.port", 8080);
        String providerUrl = sandbox ? "http://127.0.0.1:" + port + "/sandbox/whatsapp/v2"
                : stripSlash(s.require("gateway.provider.base-url"));
        pc.addOverrideProperty("gateway.sandbox.active", Boolean.toString(sandbox));
        pc.addOverrideProperty("gateway.provider.url", providerUrl);

        Clock clock = context.getRegistry().lookupByNameAndType("clock", Clock.class);
        if (clock == null) {
            clock = Clock.systemUTC();
            context.getRegistry().bind("clock", Clock.class, clock);
        }
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        int concurrency = s.integer("gateway.dispatch.concurrency", 8);
        long leaseMillis = s.integer("gateway.dispatch.lease-seconds", 60) * 1000L;
        if (leaseMillis < 1000) {
            throw new IllegalArgumentException("configuration key gateway.dispatch.lease-seconds must be at least 1");
        }
        // the lease-renewal route renews live claims three times per lease: one late renewal still leaves a third
        pc.addOverrideProperty("gateway.dispatch.lease-renew-ms", Long.toString(leaseMillis / 3));
        HikariDataSource dataSource = dataSource(s, concurrency);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

        MessageStore store = new MessageStore(dataSource, clock);
        Accounts accounts = new Accounts(dataSource, clock);
        Hooks hooks = new Hooks(dataSource, clock);
        ContactWindows windows = new ContactWindows(dataSource, clock, Duration.ofHours(s.integer("gateway.window.hours", 24)));
        WindowPolicy policy = new WindowPolicy(s.get("gateway.window.when-closed", "template"), s.get("gateway.template.default-name", ""));
        ResultFiles results = new ResultFiles(mapper, Path.of(s.require("gateway.results.dir")), Path.of(s.require("gateway.dead-letter.dir")));
        RequestValidator validator = new RequestValidator(s.require("gateway.provider.from"), s.get("gateway.default-country-code", ""), clock);
        // direct:accept-request hands its body as it is: an HTTP body (a Vert.x buffer) or a user route's file is opened
        // as a stream by Camel's converters, and the intake reads no more of it than the limit (SPEC 4.4, 4.5, 9)
        Intake intake = new Intake(validator, store, results, mapper,
                new RequestDocument.Limits(s.longValue("gateway.inbox.max-file-bytes", 10_485_760L), s.integer("gateway.inbox.max-items", 10_000)),
                document -> context.getTypeConverter().tryConvertTo(InputStream.class, document));

        // threads only do the work around calls (store, window, results); calls in flight hold no thread (SPEC 7)
        ExecutorService dispatchPool = context.getExecutorServiceManager().newFixedThreadPool(this, "dispatch",
                Math.max(2, Math.min(concurrency, 4 * Runtime.getRuntime().availableProcessors())));
        DispatchMetrics metrics = new DispatchMetrics(() -> meterRegistry(context));
        OptOuts optOuts = new OptOuts(dataSource, clock);
        String instance = UUID.randomUUID().toString().substring(0, 8);
        // SPEC 7: an outage stops dispatch instead of spending every message's attempts; its state is in the store
        ProviderCircuit circuit = new ProviderCircuit(new CircuitStore(dataSource), store, new ProviderCircuit.Settings(
                s.integer("gateway.provider.circuit.failures", 5), s.longValue("gateway.provider.circuit.probe-seconds", 5) * 1000L,
                ProviderCircuit.Settings.FIVE_MINUTES, leaseMillis, 500));
        Dispatcher.Settings dispatch = new Dispatcher.Settings(instance, concurrency, leaseMillis,
                s.integer("gateway.retry.max-attempts", 6), apiKey, s.get("gateway.recovery.in-flight", "resend"),
                s.integer("gateway.window.hold-hours", 72) * 3_600_000L);
        Dispatcher dispatcher = new Dispatcher(store, dispatch, circuit);
        ResultStep resultStep = new ResultStep(store, results, metrics);
        Housekeeping housekeeping = new Housekeeping(store, windows, dispatcher, resultStep, dispatch.recoveryMode(), dispatch.holdMillis());
        Replay replay = new Replay(store, results, mapper);

        var registry = context.getRegistry();
        registry.bind("gatewayDataSource", dataSource);
        registry.bind("gatewayMapper", mapper);
        registry.bind("messageStore", store);
        registry.bind("contactWindows", windows);
        registry.bind("resultFiles", results);
        // SPEC 9: finished messages, hooks, replies and their files older than this are deleted; 0 keeps everything
        registry.bind("retention", new com.buttonsgateway.dispatch.Retention(store, hooks, results,
                Path.of(s.require("gateway.replies.dir")), clock, s.integer("gateway.retention.days", 30)));
        registry.bind("intake", intake);
        // SPEC 5, 7: the claim loop and the steps of the send-message route
        registry.bind("dispatcher", dispatcher);
        registry.bind("sendSteps", new SendSteps(windows, policy, optOuts, mapper, apiKey));
        registry.bind("outcomes", new Outcomes(new OutcomeClassifier(mapper), mapper, store, accounts, windows, circuit,
                new Backoff(s.longValue("gateway.retry.initial-delay-ms", 1000), s.longValue("gateway.retry.max-delay-ms", 300_000), new Random()),
                dispatch.maxAttempts(), metrics, dispatcher::wake));
        registry.bind("recordOutcome", new RecordOutcome(store, dispatchPool, circuit));
        registry.bind("resultStep", resultStep);
        registry.bind("housekeeping", housekeeping);
        registry.bind("replay", replay);
        // SPEC 11: HEAD a media header's URL before the first send, on threads of its own (MediaPreflight); a test may
        // bind "mediaCheckTls", the TLS settings that trust its local HTTPS server
        ExecutorService mediaPool = context.getExecutorServiceManager().newFixedThreadPool(this, "media-check", concurrency);
        registry.bind("mediaPreflight", new com.buttonsgateway.dispatch.MediaPreflight(new com.buttonsgateway.provider.MediaCheck(
                Boolean.parseBoolean(s.get("gateway.media.check", "true")),
                Duration.ofMillis(positive(s.longValue("gateway.media.check-timeout-ms", 2000), "gateway.media.check-timeout-ms")), clock,
                com.buttonsgateway.provider.MediaCheck.DEFAULT_MAX_ENTRIES,
                context.getRegistry().lookupByNameAndType("mediaCheckTls", javax.net.ssl.SSLContext.class)), mediaPool));
        registry.bind("dispatchPool", dispatchPool);
        // SPEC 4.1, 9: the inbox's consumer takes files through inboxFiles; a shared store means a shared inbox may be
        // read by several instances, which then claim each file in the transaction that stores its items
        boolean sharedStore = !dataSource.getJdbcUrl().startsWith("jdbc:h2:");
        InboxClaims claims = sharedStore ? new InboxClaims(store, clock, instance, 30_000) : InboxClaims.none();
        InboxFiles inboxFiles = new InboxFiles(Path.of(s.require("gateway.inbox.dir")), s.longValue("gateway.inbox.max-file-bytes", 10_485_760L),
                2_000, 256, 64L << 20, claims, System::currentTimeMillis); // file times are wall-clock times
        ExecutorService inboxPool = context.getExecutorServiceManager().newFixedThreadPool(this, "intake-file", 2);
        registry.bind("inboxFiles", inboxFiles);
        registry.bind("inboxClaims", claims);
        registry.bind("fileIntake", new FileIntake(intake, inboxFiles, claims, inboxPool));
        // answers are read on threads of their own, never queued behind result files and store work
        ExecutorService providerIo = context.getExecutorServiceManager().newFixedThreadPool(this, "provider-io",
                Math.max(2, Runtime.getRuntime().availableProcessors()));
        ExecutorService providerHttp = context.getExecutorServiceManager().newFixedThreadPool(this, "provider-http",
                Math.max(2, Runtime.getRuntime().availableProcessors()));
        var providerClient = new com.buttonsgateway.provider.ProviderClient(providerUrl,
                Duration.ofMillis(s.longValue("gateway.provider.timeout-ms", 10_000)), providerHttp, providerIo, concurrency,
                dispatcher::admits);
        registry.bind("providerClient", providerClient);
        // SPEC 6: every delivery is handed to its route from the store, retried with the provider calls' backoff
        HookHandover handover = new HookHandover(hooks, store, mapper,
                new Backoff(s.longValue("gateway.retry.initial-delay-ms", 1000), s.longValue("gateway.retry.max-delay-ms", 300_000), new Random()),
                clock, s.integer("gateway.dispatch.lease-seconds", 60) * 1000L, 500);
        registry.bind("hookHandover", handover);
        registry.bind("webhook", new Webhook(mapper, store, hooks, windows, clock, handover::wake, s.require("gateway.webhook.token"),
                s.get("gateway.webhook.allowed-ips", ""), optOuts,
                new com.buttonsgateway.webhook.OptOutKeywords(s.get("gateway.optout.keywords", "STOP,UNSUBSCRIBE,הסר,ביטול"),
                        s.get("gateway.optin.keywords", "START"))));
        ConsoleViews console = new ConsoleViews(mapper, store, new ConsoleQueries(dataSource, clock), windows,
                optOuts, results, replay, metrics, sandbox, s.require("gateway.provider.from"), circuit);
        // SPEC 9, 10: the admin API's answers; routes/admin-api.camel.yaml checks the token with it for every /api call
        DuplicateReports duplicates = new DuplicateReports(mapper, Path.of(s.require("gateway.results.dir")),
                id -> store.find(id).map(StoredMessage::contact));
        registry.bind("adminApi", new AdminApi(mapper, store, accounts, windows, results, replay, console, duplicates, hooks,
                s.require("gateway.admin.token")));
        registry.bind("consoleAssets", new ConsoleAssets("console")); // SPEC 10: the operator console's files
        if (sandbox) {
            String failReason = s.get("gateway.sandbox.fail-reason", "");
            SandboxProvider simulator = new SandboxProvider(clock, apiKey.isEmpty() ? null : apiKey,
                    Double.parseDouble(s.get("gateway.sandbox.fail-rate", "0")),
                    failReason.isEmpty() ? null : Integer.valueOf(failReason), new Random());
            // SPEC 8: one bean per sandbox route; "sandbox" is the whole, read by tests and demos
            registry.bind("sandbox", simulator);
            registry.bind("sandboxSendButtons", simulator.sendButtonsSimulator());
            registry.bind("sandboxSendTemplate", simulator.sendTemplateSimulator());
            registry.bind("sandboxInbound", simulator.inboundSimulator());
            registry.bind("sandboxFaults", simulator.faultInjector());
        }
        IntakeBeans.bind(context, s, store, clock, intake, metrics::pollerSkipped); // mail and legacy database intakes, when switched on (SPEC 4.2, 4.3)
        GatewayHealthChecks.register(context, store, accounts, dispatcher, sandbox, providerUrl, circuit);
        // SPEC 9: every HTTP door bounded before a body is read; health details only with the admin token
        context.addStartupListener(new HttpDoors(context, s.longValue("gateway.inbox.max-file-bytes", 10_485_760L),
                s.longValue("gateway.http.idle-timeout-ms", 30_000), s.require("gateway.admin.token"),
                s.get("camel.management.health-path", "/observe/health")));

        // SPEC 7: with a private (H2) store every SENDING row belongs to a previous run of this process
        if (dataSource.getJdbcUrl().startsWith("jdbc:h2:")) {
            housekeeping.recoverInFlight(true);
            // SPEC 7: so was a probe in flight; an open circuit stays open, its next probe as it was
            circuit.releaseStaleProbe();
            // SPEC 6: a hand-over that was in flight is over; those waiting for their next try are tried again now
            hooks.dueNow();
        }
        // SPEC 7: a restart (with the configuration corrected) resumes sender accounts paused by reason 2/3
        accounts.resumeAll();
        context.addStartupListener((ctx, alreadyStarted) -> {
            metrics.gauges(store);
            metrics.dispatchGauges(dispatcher, providerClient::inFlight);
            metrics.circuitGauge(circuit);
        });
        context.addStartupListener(new Banner(s, home, sandbox, providerUrl, secrets.file()));
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                store.close();
                dataSource.close();
            }
        });
    }

    private static long positive(long value, String key) {
        if (value <= 0) {
            throw new IllegalArgumentException("configuration key " + key + " must be a positive number, not " + value);
        }
        return value;
    }

    private static HikariDataSource dataSource(Settings s, int concurrency) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2Relative(s.require("gateway.db.url")));
        config.setUsername(s.get("gateway.db.user", ""));
        config.setPassword(s.get("gateway.db.password", ""));
        config.setMaximumPoolSize(concurrency + 6);
        config.setPoolName("gateway-store");
        return new HikariDataSource(config);
    }

    /** H2 refuses a file path that is implicitly relative ("data/x"): make it "./data/x". */
    private static String h2Relative(String url) {
        String prefix = "jdbc:h2:file:";
        if (url.startsWith(prefix)) {
            String path = url.substring(prefix.length());
            if (!path.startsWith("/") && !path.startsWith("./") && !path.startsWith("../") && !path.startsWith("~")
                    && !path.matches("^[A-Za-z]:.*")) {
                return prefix + "./" + path;
            }
        }
        return url;
    }

    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            registry = new SimpleMeterRegistry();
            context.getRegistry().bind("gatewayMeterRegistry", MeterRegistry.class, registry);
        }
        return registry;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

}
