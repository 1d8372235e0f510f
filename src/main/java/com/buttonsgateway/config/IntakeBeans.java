package com.buttonsgateway.config;

import com.buttonsgateway.intake.Acceptor;

import com.buttonsgateway.intake.Intake;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;


import com.buttonsgateway.dispatch.Backoff;
import com.buttonsgateway.intake.mail.MailEndpoints;
import com.buttonsgateway.intake.mail.MailIntake;
import com.buttonsgateway.intake.mail.MailSenders;
import com.buttonsgateway.intake.poller.LegacyPoller;
import com.buttonsgateway.intake.poller.LegacyStatusUpdate;
import com.buttonsgateway.intake.poller.LegacyWriteBack;
import com.buttonsgateway.intake.poller.NamedSql;
import com.buttonsgateway.intake.poller.WriteBackQueue;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoredMessage;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans of the intakes that are switched on (SPEC 4.2, 4.3), once, from GatewayConfiguration: the legacy
 * database poller with its own pooled DataSource, and the mail intake. Off intakes bind nothing (their routes are
 * left out by a precondition). Every configuration mistake fails the start with the key named.
 */
public final class IntakeBeans {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeBeans.class);

    private IntakeBeans() {
    }

    /** @param skippedMetric counts a legacy row skipped after failed tries (gateway_poller_skipped_total), by step */
    public static void bind(CamelContext context, Settings s, MessageStore store, Clock clock, Intake intake,
                            java.util.function.Consumer<String> skippedMetric) {
        RequestDocument.Limits limits = new RequestDocument.Limits(s.longValue("gateway.inbox.max-file-bytes", 10_485_760L),
                s.integer("gateway.inbox.max-items", 10_000));
        boolean poller = flag(s, "gateway.poller.enabled");
        boolean mail = flag(s, "gateway.mail.enabled");
        // derived, as gateway.sandbox.active: the reply route exists only when mail is on and replies are asked for
        boolean reply = mail && flag(s, "gateway.mail.reply-errors");
        context.getPropertiesComponent().addOverrideProperty("gateway.mail.reply-active", Boolean.toString(reply));
        if (!poller && !mail) {
            return;
        }
        Acceptor acceptor = intake.acceptor();
        if (poller) {
            bindPoller(context, s, store, clock, acceptor, skippedMetric);
        }
        if (mail) {
            bindMail(context, s, acceptor, limits, reply);
        }
    }

    private static void bindPoller(CamelContext context, Settings s, MessageStore store, Clock clock,
                                   Acceptor acceptor, java.util.function.Consumer<String> skippedMetric) {
        String selectSql = s.require("gateway.poller.select");
        NamedSql select = NamedSql.parse("gateway.poller.select", selectSql, Set.of());
        NamedSql claim = NamedSql.parse("gateway.poller.claim", s.require("gateway.poller.claim"), NamedSql.PARAMETERS);
        if (!claim.uses("id")) {
            throw new IllegalArgumentException("configuration key gateway.poller.claim must use :#id (the row's key)");
        }
        String writeBackSql = s.get("gateway.poller.write-back", "");
        NamedSql writeBack = writeBackSql.isEmpty() ? null
                : NamedSql.parse("gateway.poller.write-back", writeBackSql, NamedSql.PARAMETERS);
        if (writeBack != null && !writeBack.uses("id")) {
            throw new IllegalArgumentException("configuration key gateway.poller.write-back must use :#id (the row's key)");
        }
        if (writeBack == null) {
            LOG.warn("gateway.poller.write-back is empty: outcomes are not written back to the legacy table");
        }
        // SPEC 4.3: optional; run when a status hook names a message that came from a row
        String statusSql = s.get("gateway.poller.status-update", "");
        NamedSql statusUpdate = statusSql.isEmpty() ? null
                : NamedSql.parse("gateway.poller.status-update", statusSql, java.util.Set.of("id", "deliveryStatus"));
        if (statusUpdate != null && !statusUpdate.uses("id")) {
            throw new IllegalArgumentException("configuration key gateway.poller.status-update must use :#id (the row's key)");
        }
        if (statusUpdate != null && writeBack == null) {
            throw new IllegalArgumentException("configuration key gateway.poller.status-update needs gateway.poller.write-back:"
                    + " a row's delivery status follows its outcome");
        }
        if (!selectSql.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").contains("FOR UPDATE SKIP LOCKED")) {
            LOG.warn("gateway.poller.select has no FOR UPDATE SKIP LOCKED: two gateways polling the same table could take"
                    + " the same row (PostgreSQL, MariaDB 10.6+, MySQL 8 and H2 support it)");
        }
        int delay = s.integer("gateway.poller.delay-ms", 5000);
        if (delay <= 0) {
            throw new IllegalArgumentException("configuration key gateway.poller.delay-ms must be a positive number of milliseconds");
        }
        HikariDataSource legacy = legacyDataSource(s);
        WriteBackQueue queue = new WriteBackQueue(store.dataSource(), clock, statusUpdate != null);
        var registry = context.getRegistry();
        registry.bind("legacyDataSource", legacy);
        registry.bind("legacyPoller", new LegacyPoller(legacy, select, claim, writeBack, acceptor, queue,
                id -> store.find(id).map(StoredMessage::source), skippedMetric));
        registry.bind("legacyWriteBack", new LegacyWriteBack(legacy, writeBack, queue, skippedMetric));
        registry.bind("legacyStatusUpdate", new LegacyStatusUpdate(legacy, statusUpdate, store.dataSource(), clock,
                new Backoff(s.longValue("gateway.retry.initial-delay-ms", 1000), s.longValue("gateway.retry.max-delay-ms", 300_000),
                        new java.util.Random())));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                legacy.close();
            }
        });
        // the URL is not logged: a JDBC URL may carry a password
        LOG.info("legacy database intake on: polling every {} ms, outcomes {}{}", delay,
                writeBack == null ? "not written back" : "written back with gateway.poller.write-back",
                statusUpdate == null ? "" : ", delivery statuses with gateway.poller.status-update");
    }

    /** The legacy database's own small pool; it does not connect at start, so a legacy database that is down delays only this intake. */
    private static HikariDataSource legacyDataSource(Settings s) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.require("gateway.poller.db.url"));
        config.setUsername(s.get("gateway.poller.db.user", null));
        config.setPassword(s.get("gateway.poller.db.password", null));
        config.setPoolName("legacy-poller");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static void bindMail(CamelContext context, Settings s, Acceptor acceptor,
                                 RequestDocument.Limits limits, boolean reply) {
        PropertiesComponent pc = context.getPropertiesComponent();
        // the route reads the derived URI; its name ends in "uri", which application.properties declares sensitive
        pc.addOverrideProperty("gateway.mail.endpoint-uri", MailEndpoints.consumerUri(s.get("gateway.mail.uri", "")));
        if (reply) {
            s.require("gateway.mail.smtp-uri");
        }
        MailSenders senders = MailSenders.parse(s.get("gateway.mail.allowed-senders", ""));
        int maxAttachments = s.integer("gateway.mail.max-attachments", 10);
        if (maxAttachments < 1) {
            throw new IllegalArgumentException("configuration key gateway.mail.max-attachments must be at least 1");
        }
        context.getRegistry().bind("mailIntake", new MailIntake(acceptor, limits, senders, maxAttachments));
        LOG.info("mail intake on: {}{}{}", MailEndpoints.server(s.get("gateway.mail.uri", "")),
                reply ? ", problems answered through gateway.mail.smtp-uri" : "",
                senders.anyone() ? "; gateway.mail.allowed-senders=* accepts requests from anyone" : "");
    }

    private static boolean flag(Settings s, String key) {
        String value = s.get(key, "false");
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("configuration key " + key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
