package com.buttonsgateway.bench;

import java.net.Socket;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail with IMAP only, its client sockets set TCP_NODELAY. GreenMail writes a response in several small writes
 * and leaves Nagle's algorithm on, so every IMAP command waits for the client's delayed ACK (40 ms on Linux): measured
 * here with a plain Jakarta Mail client, FETCH FLAGS, the content and STORE +FLAGS took 44, 88 and 44 ms each, for any
 * client. A real server (Dovecot corks and flushes) has no such delay; without this the mail case measured GreenMail.
 */
final class NoDelayGreenMail extends GreenMail {

    private ImapServer imap;

    NoDelayGreenMail(ServerSetup imapSetup) {
        super(imapSetup);
    }

    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
        Map<String, AbstractServer> services = new HashMap<>();
        for (ServerSetup setup : config) {
            if (!ServerSetup.PROTOCOL_IMAP.equals(setup.getProtocol())) {
                throw new IllegalArgumentException("NoDelayGreenMail serves IMAP only, not " + setup.getProtocol());
            }
            imap = new ImapServer(setup, managers);
            services.put(setup.getProtocol(), imap);
        }
        return services;
    }

    int imapPort() {
        return imap.getPort();
    }

    private static final class ImapServer extends AbstractServer {
        ImapServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            try {
                socket.setTcpNoDelay(true);
            } catch (SocketException e) {
                // then with Nagle
            }
            return new ImapHandler(managers.getUserManager(), managers.getImapHostManager(), socket);
        }
    }
}
