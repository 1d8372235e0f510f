package com.buttonsgateway.config;

import java.nio.file.Path;


import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start banner: where to drop files, where results go, sandbox or live, where the tokens are (never the tokens). */
public final class Banner implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("gateway");

    private final Settings settings;
    private final Path home;
    private final boolean sandbox;
    private final String providerUrl;
    private final Path secrets;

    public Banner(Settings settings, Path home, boolean sandbox, String providerUrl, Path secrets) {
        this.settings = settings;
        this.home = home;
        this.sandbox = sandbox;
        this.providerUrl = providerUrl;
        this.secrets = secrets;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // printed once everything is up, in onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        String port = settings.get("camel.server.port", "8080");
        StringBuilder b = new StringBuilder("\n");
        b.append("==============================================================================\n");
        b.append(" whatsapp-buttons-gateway is running on http://localhost:").append(port).append('\n');
        b.append("   drop request files (*.json) into  ").append(abs(settings.require("gateway.inbox.dir"))).append('\n');
        b.append("   results appear in                 ").append(abs(settings.require("gateway.results.dir"))).append('\n');
        b.append("   dead letters in                   ").append(abs(settings.require("gateway.dead-letter.dir"))).append('\n');
        b.append("   button replies in                 ").append(abs(settings.require("gateway.replies.dir"))).append('\n');
        if (sandbox) {
            b.append("   PROVIDER: SANDBOX. Nothing is sent to WhatsApp: messages go to the built-in simulator at\n");
            b.append("             ").append(providerUrl).append(" (set gateway.provider.api-key to go live)\n");
        } else {
            b.append("   provider: ").append(providerUrl).append('\n');
        }
        b.append("   webhook:  POST http://<this host>:").append(port).append("/webhook/<gateway.webhook.token>\n");
        b.append("   API:      http://localhost:").append(port).append("/api/messages (Authorization: Bearer <gateway.admin.token>)\n");
        b.append("   tokens not set in configuration are generated and kept in ").append(abs(secrets.toString())).append('\n');
        b.append("   console:  http://localhost:").append(port).append("/console/ (sign in with gateway.admin.token)\n");
        b.append("   health:   http://localhost:").append(port).append("/observe/health\n");
        b.append("==============================================================================");
        LOG.info(b.toString());
    }

    private String abs(String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : Path.of("").toAbsolutePath().resolve(p)).normalize().toString();
    }
}
