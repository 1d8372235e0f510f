package com.buttonsgateway.ops;

import com.buttonsgateway.dispatch.ResultFiles;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.buttonsgateway.dispatch.CallLatency;
import com.buttonsgateway.dispatch.Replay;
import com.buttonsgateway.dispatch.DispatchMetrics;
import com.buttonsgateway.dispatch.ProviderCircuit;
import com.buttonsgateway.store.ConsoleQueries;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The documents the operator console reads from the admin API (SPEC 10): the overview's figures, sent messages per
 * minute, a message in full, dead letters grouped by reason and their replay. {@link AdminApi} checks the parameters
 * and answers with these.
 */
public final class ConsoleViews {

    /** The window of the console's latency figures: calls made in the last five minutes. */
    static final long LATENCY_WINDOW_MILLIS = 300_000;
    /** Dead letters read to group and filter them; more are reported as truncated. */
    static final int DEAD_LETTERS_READ = 50_000;
    /** Names of request fields that could hold a secret: never shown, whatever a stored request holds. */
    private static final Predicate<String> SECRET = name -> name.toLowerCase(Locale.ROOT)
            .matches(".*(apikey|api_key|api-key|password|secret|token).*");

    /** Which dead letters: a reason group (as {@link DeadLetterGroups} words it), a contact, a finish-time range. */
    public record DeadFilter(String group, String contact, Long since, Long until) {
    }

    /** What a bulk replay did. */
    public record Replayed(int replayed, int notReplayed, boolean truncated) {
    }

    private final ObjectMapper mapper;
    private final MessageStore store;
    private final ConsoleQueries queries;
    private final ContactWindows windows;
    private final OptOuts optOuts;
    private final ResultFiles results;
    private final Replay replay;
    private final DispatchMetrics metrics;
    private final boolean sandbox;
    private final String defaultAccount;
    private final ProviderCircuit circuit;

    public ConsoleViews(ObjectMapper mapper, MessageStore store, ConsoleQueries queries, ContactWindows windows, OptOuts optOuts,
                        ResultFiles results, Replay replay, DispatchMetrics metrics, boolean sandbox, String defaultAccount,
                        ProviderCircuit circuit) {
        this.circuit = circuit;
        this.mapper = mapper;
        this.store = store;
        this.queries = queries;
        this.windows = windows;
        this.optOuts = optOuts;
        this.results = results;
        this.replay = replay;
        this.metrics = metrics;
        this.sandbox = sandbox;
        this.defaultAccount = defaultAccount;
    }

    public String defaultAccount() {
        return defaultAccount;
    }

    /**
     * The overview: counts by status, backlog, held, scheduled, retries, latency, paused accounts, the provider's circuit
     * (SPEC 7: open while an outage stops dispatch), the sandbox flag.
     */
    public ObjectNode stats() {
        Map<Status, Long> counts = store.countByStatus();
        ObjectNode doc = mapper.createObjectNode();
        doc.put("at", Instant.ofEpochMilli(store.now()).toString());
        doc.put("sandbox", sandbox);
        doc.put("defaultAccount", defaultAccount);
        ObjectNode byStatus = doc.putObject("counts");
        for (Status s : Status.values()) {
            byStatus.put(s.name(), counts.getOrDefault(s, 0L));
        }
        doc.put("backlog", counts.getOrDefault(Status.QUEUED, 0L) + counts.getOrDefault(Status.SENDING, 0L));
        doc.put("held", counts.getOrDefault(Status.HELD, 0L));
        // SPEC 7 names SCHEDULED (sendAt); counted from the store, so it shows as soon as dispatch keeps such messages
        doc.put("scheduled", counts.getOrDefault(Status.SCHEDULED, 0L));
        doc.put("dead", counts.getOrDefault(Status.DEAD, 0L));
        ObjectNode retries = doc.putObject("retries");
        retries.put("waiting", queries.waitingForRetry());
        retries.put("sinceStart", metrics.retries());
        CallLatency.Percentiles p = metrics.latency().percentiles(LATENCY_WINDOW_MILLIS);
        ObjectNode latency = doc.putObject("latency");
        latency.put("windowSeconds", LATENCY_WINDOW_MILLIS / 1000);
        latency.put("calls", p.calls());
        latency.put("p50Ms", p.p50Millis());
        latency.put("p95Ms", p.p95Millis());
        ArrayNode paused = doc.putArray("pausedAccounts");
        for (ConsoleQueries.Paused a : queries.paused()) {
            ObjectNode node = paused.addObject();
            node.put("account", a.account());
            node.put("reason", a.reason());
            node.put("pausedAt", a.pausedAt() == null ? null : Instant.ofEpochMilli(a.pausedAt()).toString());
        }
        ProviderCircuit.State state = circuit.state();
        ObjectNode breaker = doc.putObject("circuit");
        breaker.put("open", state.open());
        breaker.put("since", state.open() ? String.valueOf(state.since()) : null);
        breaker.put("lastError", state.open() ? state.lastError() : null);
        breaker.put("nextProbeAt", state.open() && state.nextProbeAt() != null ? state.nextProbeAt().toString() : null);
        Set<String> accounts = new LinkedHashSet<>();
        accounts.add(defaultAccount);
        accounts.addAll(queries.accounts());
        ArrayNode list = doc.putArray("accounts");
        accounts.forEach(list::add);
        return doc;
    }

    /** SENT messages per minute over the last {@code minutes} minutes, oldest first, minutes without any included. */
    public ObjectNode sentPerMinute(int minutes) {
        ConsoleQueries.PerMinute series = queries.sentPerMinute(minutes);
        ObjectNode doc = mapper.createObjectNode();
        doc.put("minutes", minutes);
        doc.put("from", Instant.ofEpochMilli(series.firstMinute()).toString());
        doc.put("until", Instant.ofEpochMilli(series.firstMinute() + minutes * 60_000L).toString());
        ArrayNode points = doc.putArray("points");
        long total = 0;
        for (int i = 0; i < series.counts().length; i++) {
            ObjectNode point = points.addObject();
            point.put("minute", Instant.ofEpochMilli(series.firstMinute() + i * 60_000L).toString());
            point.put("sent", series.counts()[i]);
            total += series.counts()[i];
        }
        doc.put("total", total);
        return doc;
    }

    /**
     * A message in full: its result document, the request (without anything that could be a secret), every attempt
     * with its error, the provider's whole answer, how the window decided its route, the contact's window now and
     * opt-out.
     */
    public ObjectNode detail(StoredMessage m) {
        ObjectNode doc = mapper.createObjectNode();
        doc.set("result", results.result(m));
        doc.put("account", m.account());
        doc.put("contact", m.contact());
        JsonNode request = withoutSecrets(parse(m.request()));
        doc.set("request", request);
        ObjectNode decision = doc.putObject("decision");
        decision.put("route", m.route());
        decision.put("rerouted", m.rerouted());
        decision.put("explanation", explain(m, request));
        ArrayNode attempts = doc.putArray("attempts");
        JsonNode errors = parse(m.errors());
        if (errors.isArray()) {
            errors.forEach(e -> attempts.add(e.deepCopy()));
        }
        if (m.status() == Status.SENT) {
            ObjectNode ok = attempts.addObject();
            ok.put("attempt", m.attempts());
            ok.put("at", m.finishedAt() == null ? null : Instant.ofEpochMilli(m.finishedAt()).toString());
            ok.put("kind", "sent");
            ok.put("detail", "accepted by the provider" + (m.providerUnique() == null ? "" : ", unique " + m.providerUnique()));
        }
        JsonNode provider = com.buttonsgateway.provider.ProviderAnswer.withoutApiKey(parse(m.providerResponse()));
        doc.set("providerAnswer", provider.isObject() && !provider.isEmpty() ? provider : mapper.nullNode());
        ContactWindows.View view = windows.view(m.account(), m.contact()).orElse(null);
        ObjectNode window = doc.putObject("window");
        window.put("open", view != null && view.open());
        window.put("lastInboundAt", view == null || view.lastInboundAt() == null ? null : view.lastInboundAt().toString());
        window.put("windowEndsAt", view == null || view.windowEndsAt() == null ? null : view.windowEndsAt().toString());
        doc.put("optedOut", optOuts.optedOutAt(m.account(), m.contact()).isPresent());
        return doc;
    }

    /** How the 24-hour window decided this message's route (SPEC 5), in words. */
    static String explain(StoredMessage m, JsonNode request) {
        String reason = m.reason() == null ? "" : m.reason();
        if (m.status() == Status.SCHEDULED) {
            return "scheduled: not sent before its sendAt " + request.path("sendAt").asText("") + "; the window is checked when it is sent";
        }
        if (m.status() == Status.HELD) {
            return "window closed: held until the contact writes (whenClosed hold)";
        }
        if (m.status() == Status.REJECTED && reason.startsWith("window closed")) {
            return reason;
        }
        if (m.route() == null) {
            return m.status().finished() ? "no provider call was made" : "not decided yet: the window is checked when it is sent";
        }
        if ("buttons".equals(m.route())) {
            return m.rerouted() ? "window open: Send Buttons (after the provider had once answered the window closed)"
                    : "window open: Send Buttons";
        }
        if (m.rerouted()) {
            return "the gateway thought the window open, the provider answered it closed (reason 7/8): re-decided as the template";
        }
        boolean templateOnly = request.path("body").isMissingNode() || request.path("body").isNull();
        return templateOnly ? "template-only request: its template, whatever the window"
                : "window closed or unknown: sent as its template (closed-window policy template)";
    }

    /** Dead letters matching the filter: the reason groups (of the contact and time filter) and a page of messages. */
    public ObjectNode deadLetters(DeadFilter filter, int limit) {
        List<ConsoleQueries.DeadRow> rows = queries.deadLetters(filter.contact(), filter.since(), filter.until(), DEAD_LETTERS_READ);
        Map<String, Integer> groups = new LinkedHashMap<>();
        List<ConsoleQueries.DeadRow> matched = new ArrayList<>();
        for (ConsoleQueries.DeadRow row : rows) {
            String group = DeadLetterGroups.group(row.reason());
            groups.merge(group, 1, Integer::sum);
            if (filter.group() == null || filter.group().equals(group)) {
                matched.add(row);
            }
        }
        ObjectNode doc = mapper.createObjectNode();
        doc.put("total", matched.size());
        doc.put("truncated", rows.size() == DEAD_LETTERS_READ);
        ArrayNode groupList = doc.putArray("groups");
        groups.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> {
            ObjectNode node = groupList.addObject();
            node.put("reason", e.getKey());
            node.put("count", e.getValue());
        });
        ArrayNode messages = doc.putArray("messages");
        for (Iterator<ConsoleQueries.DeadRow> it = matched.iterator(); it.hasNext() && messages.size() < limit; ) {
            ConsoleQueries.DeadRow row = it.next();
            store.find(row.id()).filter(m -> m.status() == Status.DEAD).ifPresent(m -> {
                ObjectNode node = results.result(m);
                node.put("contact", m.contact());
                node.put("account", m.account());
                node.put("group", DeadLetterGroups.group(m.reason()));
                messages.add(node);
            });
        }
        return doc;
    }

    /** Replays every dead letter that matches the filter (SPEC 7: each queued again with a fresh attempt count). */
    public Replayed replayDeadLetters(DeadFilter filter) {
        List<ConsoleQueries.DeadRow> rows = queries.deadLetters(filter.contact(), filter.since(), filter.until(), DEAD_LETTERS_READ);
        int replayed = 0;
        int not = 0;
        for (ConsoleQueries.DeadRow row : rows) {
            if (filter.group() != null && !filter.group().equals(DeadLetterGroups.group(row.reason()))) {
                continue;
            }
            if (replay.replay(row.id()) == Replay.Outcome.REPLAYED) {
                replayed++;
            } else {
                not++; // replayed meanwhile by someone else
            }
        }
        return new Replayed(replayed, not, rows.size() == DEAD_LETTERS_READ);
    }

    /** A contact's opt-out of one account's messages. */
    public ObjectNode optOut(String account, String contact) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("account", account);
        doc.put("contact", contact);
        Instant at = optOuts.optedOutAt(account, contact).orElse(null);
        doc.put("optedOut", at != null);
        doc.put("optedOutAt", at == null ? null : at.toString());
        return doc;
    }

    public ObjectNode setOptOut(String account, String contact, boolean out) {
        if (out) {
            optOuts.optOut(account, contact);
        } else {
            optOuts.optIn(account, contact);
        }
        return optOut(account, contact);
    }

    private JsonNode withoutSecrets(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = mapper.createObjectNode();
            node.fields().forEachRemaining(e -> {
                // absent optional fields are left out: the request as it was meant, not the record's every slot
                if (!SECRET.test(e.getKey()) && !e.getValue().isNull()) {
                    copy.set(e.getKey(), withoutSecrets(e.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = mapper.createArrayNode();
            node.forEach(n -> copy.add(withoutSecrets(n)));
            return copy;
        }
        return node;
    }

    private JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(json);
            return node == null ? mapper.createObjectNode() : node;
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
