package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store is the queue (DESIGN): intake inserts, the dispatcher claims due rows with a lease,
 * and every state change is one guarded UPDATE and one log line. Messages only: sender accounts are
 * {@link Accounts}, webhook deliveries {@link Hooks}.
 */
public final class MessageStore {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
    private static final int CHUNK = 500;
    private static final String COLUMNS = "seq, id, source, account, contact, request, status, route, attempts, accepted_at, "
            + "finished_at, reason, provider_unique, provider_response, errors, delivery_status, rerouted, claim_token, problems";

    private final DataSource dataSource;
    private final Clock clock;
    private volatile Runnable onQueued = () -> { };
    private final GroupCommit writer;
    /** Claim tokens: this store's random prefix and a counter, so no two claims anywhere share one (SPEC 7). */
    private final String tokenPrefix = java.util.UUID.randomUUID().toString().substring(0, 13);
    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();

    public MessageStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.writer = new GroupCommit(dataSource);
    }

    /** Told whenever a message becomes QUEUED (stored, retried, released, replayed), so dispatch looks at once. */
    public void onQueued(Runnable listener) {
        this.onQueued = listener;
    }

    /** One piece of work in the store writer's next transaction (GroupCommit); completes after its commit. */
    public <T> CompletableFuture<T> write(GroupCommit.Work<T> work) {
        return writer.submit(work);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public long now() {
        return clock.millis();
    }

    /**
     * Stores the items durably; an item whose id is already stored (or repeats in this call) is a duplicate.
     * Returns, per item, true when stored and false when a duplicate. Returns only after commit (SPEC 4).
     */
    public List<Boolean> insert(List<NewMessage> items) {
        return await(insertAsync(items, null), "store messages").stored();
    }

    /** What {@link #insertAsync} did: per item stored (true) or a duplicate (false); or the file was another's. */
    public record Inserted(List<Boolean> stored, boolean taken) {
    }

    /**
     * Stores the items through the store writer, so that the items of many files or HTTP calls handed in together
     * share one transaction (SPEC 4.1: the inbox keeps up with dispatch). With a {@code claim} (a shared inbox on a
     * shared store, SPEC 9) the claim is taken in the first chunk's transaction; when another instance holds it,
     * nothing is stored and the result says {@code taken}. The future completes after the commit.
     */
    public CompletableFuture<Inserted> insertAsync(List<NewMessage> items, InboxClaims.Claim claim) {
        // an id that repeats inside this call is a duplicate of its first occurrence, decided before the store
        List<Boolean> outcome = new ArrayList<>(java.util.Collections.nCopies(items.size(), Boolean.FALSE));
        Set<String> seen = new HashSet<>();
        List<Integer> fresh = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (seen.add(items.get(i).id())) {
                fresh.add(i);
            }
        }
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(Boolean.TRUE);
        if (fresh.isEmpty() && claim != null) {
            chain = writer.submit(claim::take);
        }
        for (int from = 0; from < fresh.size(); from += CHUNK) {
            List<Integer> chunk = fresh.subList(from, Math.min(fresh.size(), from + CHUNK));
            boolean first = from == 0;
            chain = chain.thenCompose(go -> !go ? CompletableFuture.completedFuture(Boolean.FALSE)
                    : writer.submit(c -> {
                        if (first && claim != null && !claim.take(c)) {
                            return Boolean.FALSE;
                        }
                        insertIn(c, items, chunk, outcome);
                        return Boolean.TRUE;
                    }).exceptionallyCompose(e -> settleOneByOne(e, items, chunk, outcome)));
        }
        return chain.thenApply(go -> {
            if (!go) {
                return new Inserted(List.of(), true);
            }
            for (int i = 0; i < items.size(); i++) {
                NewMessage item = items.get(i);
                if (outcome.get(i) && item.notBefore() != null) {
                    LOG.info("id={} ->{} source={} sendAt={}", item.id(), Status.SCHEDULED, com.buttonsgateway.request.LogText.safe(item.source()),
                            java.time.Instant.ofEpochMilli(item.notBefore()));
                } else {
                    LOG.info("id={} ->{} source={}", item.id(), outcome.get(i) ? Status.QUEUED : Status.DUPLICATE, com.buttonsgateway.request.LogText.safe(item.source()));
                }
            }
            if (outcome.contains(Boolean.TRUE)) {
                onQueued.run();
            }
            return new Inserted(outcome, false);
        });
    }

    private void insertIn(Connection c, List<NewMessage> items, List<Integer> chunk, List<Boolean> outcome) throws SQLException {
        Set<String> existing = existingIds(c, items, chunk);
        try (PreparedStatement ps = c.prepareStatement(insertSql())) {
            int batched = 0;
            for (int i : chunk) {
                boolean fresh = !existing.contains(items.get(i).id());
                outcome.set(i, fresh);
                if (fresh) {
                    bindInsert(ps, items.get(i));
                    ps.addBatch();
                    batched++;
                }
            }
            if (batched > 0) {
                ps.executeBatch();
            }
        }
        schedule(c, chunk.stream().filter(outcome::get).map(items::get).toList());
    }

    /** The scheduled ones among freshly stored items get their gw_schedule row, in the same transaction (SPEC 5). */
    private static void schedule(Connection c, List<NewMessage> stored) throws SQLException {
        if (stored.stream().noneMatch(m -> m.notBefore() != null)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gw_schedule (message_id, due_at) VALUES (?, ?)")) {
            for (NewMessage m : stored) {
                if (m.notBefore() != null) {
                    ps.setString(1, m.id());
                    ps.setLong(2, m.notBefore());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Another instance stored one of these ids meanwhile (a unique violation): settle them one by one. */
    private CompletableFuture<Boolean> settleOneByOne(Throwable failure, List<NewMessage> items, List<Integer> chunk, List<Boolean> outcome) {
        Throwable e = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        if (!(e instanceof SQLException sql) || !Sql.isUniqueViolation(sql)) {
            return CompletableFuture.failedFuture(new StoreException("could not store messages", e));
        }
        for (int i : chunk) {
            outcome.set(i, insertOne(items.get(i)));
        }
        return CompletableFuture.completedFuture(Boolean.TRUE);
    }

    private boolean insertOne(NewMessage item) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(insertSql())) {
                bindInsert(ps, item);
                ps.executeUpdate();
                schedule(c, List.of(item));
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return true;
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                return false;
            }
            throw new StoreException("could not store message " + item.id(), e);
        }
    }

    private static String insertSql() {
        // queue_seq comes from its column's default (gw_queue_seq, V11): the message's place in its contact's order
        return "INSERT INTO gw_message (id, source, account, contact, request, status, attempts, next_attempt_at, accepted_at, errors) "
                + "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, '[]')";
    }

    private void bindInsert(PreparedStatement ps, NewMessage item) throws SQLException {
        long now = clock.millis();
        ps.setString(1, item.id());
        ps.setString(2, Columns.fitText(item.source(), Columns.SOURCE));
        ps.setString(3, item.account());
        ps.setString(4, item.contact());
        ps.setString(5, item.request());
        ps.setString(6, item.status().name());
        // a scheduled message is due at its sendAt (informative: gw_schedule is what releases it)
        ps.setLong(7, item.notBefore() == null ? now : item.notBefore());
        ps.setLong(8, now);
    }

    private static Set<String> existingIds(Connection c, List<NewMessage> items, List<Integer> chunk) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id FROM gw_message WHERE id IN (");
        for (int i = 0; i < chunk.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        Set<String> ids = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < chunk.size(); i++) {
                ps.setString(i + 1, items.get(chunk.get(i)).id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Claims up to {@code max} due messages, at most one per (account, contact): a contact's next message
     * waits while an earlier one is queued or one is being sent (SPEC 5, order and no overlap). "Earlier" is the place
     * in the contact's order (queue_seq): a scheduled message takes its place when it comes due, and a SCHEDULED one
     * holds back nobody. The guarded UPDATE makes a claim exclusive between instances.
     */
    public List<StoredMessage> claim(int max, String instance, long leaseMillis) {
        long now = clock.millis();
        // SPEC 7: nothing is claimed while the provider's circuit is open (only its probe, claimProbe)
        String select = due("AND " + CircuitStore.CLOSED + " ");
        // on the store writer: the claim shares its transaction (one commit) with the outcomes written meanwhile
        List<StoredMessage> claimed = await(writer.submit(c -> claimIn(c, select, null, max, instance, now + leaseMillis)), "claim messages");
        for (StoredMessage m : claimed) {
            LOG.info("id={} QUEUED->SENDING attempt={}", m.id(), m.attempts() + 1);
        }
        return claimed;
    }

    /** Due messages a claim may take, at most one per (account, contact) in acceptance order; {@code more}: further conditions. */
    private static String due(String more) {
        return "SELECT " + COLUMNS + " FROM gw_message m WHERE m.status = 'QUEUED' AND m.next_attempt_at <= ? "
                + "AND NOT EXISTS (SELECT 1 FROM gw_message p WHERE p.account = m.account AND p.contact = m.contact "
                + "  AND ((p.status = 'QUEUED' AND p.queue_seq < m.queue_seq) OR p.status = 'SENDING')) "
                + "AND NOT EXISTS (SELECT 1 FROM gw_account a WHERE a.account = m.account AND a.paused_reason IS NOT NULL) "
                + more
                // "status, seq" matches the index exactly: H2 then walks it in order and stops at the LIMIT
                + "ORDER BY m.status, m.seq LIMIT ?";
    }

    /**
     * While the provider's circuit is open (SPEC 7): claims the oldest due message as the one probe, if the probe is due
     * and no other instance holds its slot, in one transaction with taking the slot. The message the last probe sent is
     * left out while another one is due, so a message that fails by itself cannot keep the circuit open for the rest.
     */
    public List<StoredMessage> claimProbe(String instance, long leaseMillis, CircuitStore circuit) {
        long now = clock.millis();
        String select = due("AND m.seq <> ? ");
        List<StoredMessage> claimed = await(writer.submit(c -> {
            Long avoid = circuit.takeProbe(c, now, now + leaseMillis);
            if (avoid == null) {
                return List.<StoredMessage>of();
            }
            List<StoredMessage> probe = claimIn(c, select, avoid, 1, instance, now + leaseMillis);
            if (probe.isEmpty() && avoid >= 0) {
                probe = claimIn(c, select, -1L, 1, instance, now + leaseMillis);
            }
            circuit.probeClaimed(c, probe.isEmpty() ? null : probe.get(0));
            return probe;
        }), "claim the provider's probe");
        for (StoredMessage m : claimed) {
            LOG.info("id={} QUEUED->SENDING attempt={} probe=provider-circuit", m.id(), m.attempts() + 1);
        }
        return claimed;
    }

    /** {@code avoidSeq}: the probe's select has that parameter after the time (null for the others). */
    private List<StoredMessage> claimIn(Connection c, String select, Long avoidSeq, int max, String instance, long leaseUntil)
            throws SQLException {
        List<StoredMessage> candidates = new ArrayList<>();
        // several instances on PostgreSQL: rows another instance is claiming right now are skipped, not waited for
        try (PreparedStatement ps = c.prepareStatement(isPostgres(c) ? select + " FOR UPDATE OF m SKIP LOCKED" : select)) {
            int next = 1;
            ps.setLong(next++, clock.millis());
            if (avoidSeq != null) {
                ps.setLong(next++, avoidSeq);
            }
            ps.setInt(next, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(read(rs));
                }
            }
        }
        Set<String> contacts = new HashSet<>();
        List<StoredMessage> picked = new ArrayList<>();
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement("UPDATE gw_message SET status = 'SENDING', lease_until = ?, claimed_by = ?, "
                + "claim_token = ? WHERE seq = ? AND status = 'QUEUED'")) {
            for (StoredMessage m : candidates) {
                if (!contacts.add(m.account() + "/" + m.contact())) {
                    continue;
                }
                String token = tokenPrefix + "." + Long.toString(claims.incrementAndGet(), 36);
                ps.setLong(1, leaseUntil);
                ps.setString(2, instance);
                ps.setString(3, token);
                ps.setLong(4, m.seq());
                ps.addBatch();
                picked.add(claimedAs(m, token));
            }
            counts = picked.isEmpty() ? new int[0] : ps.executeBatch();
        }
        List<StoredMessage> claimed = new ArrayList<>(picked.size());
        for (int i = 0; i < picked.size(); i++) {
            // another instance may have claimed it between our read and this update: then it is theirs
            if (counts[i] == 1 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                claimed.add(picked.get(i));
            }
        }
        return claimed;
    }

    /**
     * Renews the leases of the claims this instance still works on (waiting for a call slot, in a call, being
     * recorded), in one UPDATE per 500 on the store writer: a live instance keeps its claims however slow the provider
     * (SPEC 7). A claim already taken over has another token and is not renewed. Returns the rows renewed.
     */
    public int renew(java.util.Collection<String> tokens, long leaseMillis) {
        List<String> all = List.copyOf(tokens);
        if (all.isEmpty()) {
            return 0;
        }
        long leaseUntil = clock.millis() + leaseMillis;
        return await(writer.submit(c -> {
            int renewed = 0;
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                StringBuilder sql = new StringBuilder("UPDATE gw_message SET lease_until = ? WHERE status = 'SENDING' AND claim_token IN (");
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "?" : ",?");
                }
                try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
                    ps.setLong(1, leaseUntil);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    renewed += ps.executeUpdate();
                }
            }
            return renewed;
        }), "renew leases");
    }

    private volatile Boolean postgres;

    private boolean isPostgres(Connection c) throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            known = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            postgres = known;
        }
        return known;
    }

    /** Applies one transition if the message is still in {@code t.from()}; logs it. Returns false if it was not. */
    public boolean apply(StoredMessage m, Transition t) {
        return applyAndGet(m, t) != null;
    }

    /** As {@link #apply}, returning the row as it now is (built here, not read back), or null when not applied. */
    public StoredMessage applyAndGet(StoredMessage m, Transition t) {
        StoredMessage after;
        try (Connection c = dataSource.getConnection()) {
            after = update(c, m, t, clock.millis());
        } catch (SQLException e) {
            throw new StoreException("could not move message " + m.id() + " to " + t.to(), e);
        }
        announce(m, t, after);
        return after;
    }

    /**
     * As {@link #applyAndGet}, recording {@code problems} (a JSON array of {field, rule, message}) with the transition in
     * one transaction: a message refused at dispatch with problems by field (the media pre-flight, SPEC 11).
     */
    public StoredMessage applyAndGet(StoredMessage m, Transition t, String problems) {
        StoredMessage after;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                after = update(c, m, t, clock.millis());
                if (after != null) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE gw_message SET problems = ? WHERE seq = ?")) {
                        ps.setString(1, problems);
                        ps.setLong(2, m.seq());
                        ps.executeUpdate();
                    }
                    after = after.withProblems(problems);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not move message " + m.id() + " to " + t.to(), e);
        }
        announce(m, t, after);
        return after;
    }

    /**
     * As {@link #applyAndGet}, written with other finished calls in one transaction (outcomes in batches, DESIGN);
     * {@code alsoInTransaction} runs in the same transaction when the transition applies (window, conversation).
     */
    public CompletableFuture<StoredMessage> applyLater(StoredMessage m, Transition t, GroupCommit.Work<Void> alsoInTransaction) {
        long now = clock.millis();
        return writer.submit(c -> {
            StoredMessage after = update(c, m, t, now);
            if (after != null && alsoInTransaction != null) {
                alsoInTransaction.run(c);
            }
            return after;
        }).thenApply(after -> {
            announce(m, t, after);
            return after;
        });
    }

    /** The guarded UPDATE of one transition, in the caller's connection; the row as it now is, or null. */
    private static StoredMessage update(Connection c, StoredMessage m, Transition t, long now) throws SQLException {
        String sql = "UPDATE gw_message SET status = ?, route = COALESCE(?, route), "
                + "attempts = CASE WHEN ? THEN 0 ELSE attempts + ? END, "
                + "next_attempt_at = COALESCE(?, next_attempt_at), lease_until = NULL, claimed_by = NULL, claim_token = NULL, "
                + "reason = ?, provider_unique = COALESCE(?, provider_unique), provider_response = COALESCE(?, provider_response), "
                + "errors = COALESCE(?, errors), rerouted = COALESCE(?, rerouted), "
                + "finished_at = ?, held_at = ? WHERE seq = ? AND status = ?";
        // a SENDING row changes only under the claim that read it: a claim taken over meanwhile has another token
        // (SPEC 7); a take-over applies only while the lease has still run out (its owner did not renew it)
        boolean fenced = t.from() == Status.SENDING;
        if (fenced) {
            sql += m.claimToken() == null ? " AND claim_token IS NULL" : " AND claim_token = ?";
        }
        if (t.leaseExpiredBefore() != null) {
            sql += " AND lease_until < ?";
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, t.to().name());
            ps.setString(2, t.route());
            ps.setBoolean(3, t.resetAttempts());
            ps.setInt(4, t.attemptsDelta());
            setLong(ps, 5, t.nextAttemptAt());
            // values from outside (the provider's answer, its words) are cut to their columns (SPEC 7)
            ps.setString(6, Columns.fitText(t.reason(), Columns.REASON));
            ps.setString(7, Columns.fit(t.providerUnique(), Columns.PROVIDER_UNIQUE));
            ps.setString(8, t.providerResponse());
            ps.setString(9, t.errors());
            if (t.rerouted() == null) {
                ps.setNull(10, Types.BOOLEAN);
            } else {
                ps.setBoolean(10, t.rerouted());
            }
            setLong(ps, 11, t.to().finished() ? now : null);
            setLong(ps, 12, t.to() == Status.HELD ? now : null);
            ps.setLong(13, m.seq());
            ps.setString(14, t.from().name());
            int next = 15;
            if (fenced && m.claimToken() != null) {
                ps.setString(next++, m.claimToken());
            }
            if (t.leaseExpiredBefore() != null) {
                ps.setLong(next, t.leaseExpiredBefore());
            }
            if (ps.executeUpdate() != 1) {
                return null;
            }
        }
        if (t.to().finished()) {
            // its result file is owed from this commit on (a message finished again after a replay may still owe one)
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gw_result_pending (seq, finished_at) SELECT ?, ? "
                    + "WHERE NOT EXISTS (SELECT 1 FROM gw_result_pending WHERE seq = ?)")) {
                ps.setLong(1, m.seq());
                ps.setLong(2, now);
                ps.setLong(3, m.seq());
                ps.executeUpdate();
            }
        } else if (t.from().finished()) {
            // replayed: no result is owed until it finishes again
            deletePending(c, m.seq());
        }
        int attempts = t.resetAttempts() ? 0 : m.attempts() + t.attemptsDelta();
        String route = t.route() != null ? t.route() : m.route();
        return new StoredMessage(m.seq(), m.id(), m.source(), m.account(), m.contact(), m.request(), t.to(), route, attempts,
                m.acceptedAt(), t.to().finished() ? Long.valueOf(now) : null, Columns.fitText(t.reason(), Columns.REASON),
                t.providerUnique() != null ? Columns.fit(t.providerUnique(), Columns.PROVIDER_UNIQUE) : m.providerUnique(),
                t.providerResponse() != null ? t.providerResponse() : m.providerResponse(),
                t.errors() != null ? t.errors() : m.errors(), m.deliveryStatus(),
                t.rerouted() != null ? t.rerouted() : m.rerouted(), null, m.problems());
    }

    /** After commit: the one log line of the state change, and a wake-up for dispatch when it queued something. */
    private void announce(StoredMessage m, Transition t, StoredMessage after) {
        if (after == null) {
            return;
        }
        if (t.reason() == null) {
            LOG.info("id={} {}->{} route={} attempts={}", m.id(), t.from(), t.to(), after.route(), after.attempts());
        } else {
            LOG.info("id={} {}->{} route={} attempts={} reason={}", m.id(), t.from(), t.to(), after.route(), after.attempts(), t.reason());
        }
        if (t.to() == Status.QUEUED) {
            onQueued.run();
        }
    }

    /** The result file of a finished message is written: nothing left to redo after a crash. */
    public void resultWritten(long seq) {
        writer.submit(c -> deletePending(c, seq));
    }

    private static int deletePending(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM gw_result_pending WHERE seq = ?")) {
            ps.setLong(1, seq);
            return ps.executeUpdate();
        }
    }

    /** Finished messages whose result file may be missing (a crash came between the commit and the file). */
    public List<StoredMessage> pendingResults(long finishedBefore) {
        return query("SELECT " + COLUMNS + " FROM gw_message WHERE seq IN "
                + "(SELECT seq FROM gw_result_pending WHERE finished_at < ?) ORDER BY seq LIMIT 1000", finishedBefore);
    }

    /** Waits for a piece of work on the store writer, at most 30 s; its failure or timeout is a StoreException naming {@code what}. */
    private <T> T await(CompletableFuture<T> done, String what) {
        return writer.await(done, what);
    }

    /** Null while the store writer works; otherwise what is wrong with it (SPEC 9: the store health check turns DOWN). */
    public String writerProblem() {
        return writer.problem();
    }

    /** Stops the batch writer after it wrote what it was given. */
    public void close() {
        writer.close();
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    public Optional<StoredMessage> find(String id) {
        List<StoredMessage> found = query("SELECT " + COLUMNS + " FROM gw_message WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** Messages for the API: optional status and contact filters, newest first. */
    public List<StoredMessage> list(String status, String contact, int limit) {
        return list(new Filter(status, contact, null, null, null, limit));
    }

    /**
     * What {@code GET /api/messages} filters on (SPEC 9, 10); null or blank is any. {@code idPrefix} matches ids
     * that start with it; {@code acceptedFrom} (inclusive) and {@code acceptedUntil} (exclusive) are epoch milliseconds.
     */
    public record Filter(String status, String contact, String idPrefix, Long acceptedFrom, Long acceptedUntil, int limit) {
    }

    /** Messages that match the filter, newest first. */
    public List<StoredMessage> list(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM gw_message WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.status() != null && !f.status().isBlank()) {
            sql.append(" AND status = ?");
            args.add(f.status().trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (f.contact() != null && !f.contact().isBlank()) {
            sql.append(" AND contact = ?");
            args.add(f.contact().trim());
        }
        if (f.idPrefix() != null && !f.idPrefix().isBlank()) {
            // ids may hold '_', LIKE's one-character wildcard: matched literally
            sql.append(" AND id LIKE ? ESCAPE '!'");
            args.add(f.idPrefix().trim().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (f.acceptedFrom() != null) {
            sql.append(" AND accepted_at >= ?");
            args.add(f.acceptedFrom());
        }
        if (f.acceptedUntil() != null) {
            sql.append(" AND accepted_at < ?");
            args.add(f.acceptedUntil());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(f.limit());
        return query(sql.toString(), args.toArray());
    }

    /** HELD messages of one contact, oldest first (SPEC 5: released in order). */
    public List<StoredMessage> held(String account, String contact) {
        return query("SELECT " + COLUMNS + " FROM gw_message WHERE account = ? AND contact = ? AND status = 'HELD' ORDER BY seq",
                account, contact);
    }

    /** HELD messages held before the given time, oldest first, at most {@code limit} (housekeeping is bounded per pass, SPEC 9). */
    public List<StoredMessage> heldBefore(long heldBefore, int limit) {
        return query("SELECT " + COLUMNS + " FROM gw_message WHERE status = 'HELD' AND held_at < ? ORDER BY seq LIMIT ?", heldBefore, limit);
    }

    /**
     * The (account, contact) pairs with HELD messages that come after the given pair in (account, contact) order, at
     * most {@code limit}: housekeeping walks them a page per pass, without loading the messages (SPEC 9).
     */
    public List<String[]> heldContacts(String afterAccount, String afterContact, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT account, contact FROM gw_message WHERE status = 'HELD' AND (account > ? OR (account = ? AND contact > ?)) "
                        + "ORDER BY account, contact LIMIT ?")) {
            Sql.bind(ps, afterAccount, afterAccount, afterContact, limit);
            List<String[]> pairs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pairs.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return pairs;
        } catch (SQLException e) {
            throw new StoreException("could not read held messages", e);
        }
    }

    /**
     * SENDING messages whose lease ran out (their instance stopped renewing it), or all SENDING ones when {@code all},
     * oldest first, at most {@code limit}.
     */
    public List<StoredMessage> inFlight(boolean all, int limit) {
        if (all) {
            return query("SELECT " + COLUMNS + " FROM gw_message WHERE status = 'SENDING' ORDER BY seq LIMIT ?", limit);
        }
        return query("SELECT " + COLUMNS + " FROM gw_message WHERE status = 'SENDING' AND lease_until < ? ORDER BY seq LIMIT ?",
                clock.millis(), limit);
    }

    // --- retention (SPEC 9) --------------------------------------------------------------------------

    /** A finished message retention may delete. */
    public record Finished(long seq, String id) {
    }

    /**
     * Finished messages (SENT, REJECTED, DEAD) that finished before {@code before}, oldest first, at most {@code limit};
     * never one whose result file or legacy write-back is still owed.
     */
    public List<Finished> finishedBefore(long before, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT m.seq, m.id FROM gw_message m WHERE m.status IN ('SENT', 'REJECTED', 'DEAD') AND m.finished_at < ? "
                        + "AND NOT EXISTS (SELECT 1 FROM gw_result_pending p WHERE p.seq = m.seq) "
                        + "AND NOT EXISTS (SELECT 1 FROM gw_writeback w WHERE w.message_id = m.id) ORDER BY m.seq LIMIT ?")) {
            Sql.bind(ps, before, limit);
            List<Finished> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Finished(rs.getLong(1), rs.getString(2)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("could not read finished messages", e);
        }
    }

    /** Deletes these messages, in one short transaction, if they are still finished before {@code before}; how many went. */
    public int deleteFinished(List<Finished> rows, long before) {
        if (rows.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("DELETE FROM gw_message WHERE status IN ('SENT', 'REJECTED', 'DEAD') AND finished_at < ? AND seq IN (");
        List<Object> args = new ArrayList<>();
        args.add(before);
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
            args.add(rows.get(i).seq());
        }
        return update(sql.append(')').toString(), args.toArray());
    }

    public Optional<StoredMessage> byProviderUnique(String unique) {
        // stored cut to its column (SPEC 7): a hook naming the whole value finds it by the same cut
        return query("SELECT " + COLUMNS + " FROM gw_message WHERE provider_unique = ?", Columns.fit(unique, Columns.PROVIDER_UNIQUE))
                .stream().findFirst();
    }

    public void deliveryStatus(String id, String status) {
        update("UPDATE gw_message SET delivery_status = ? WHERE id = ?", Columns.fit(status, Columns.DELIVERY_STATUS), id);
    }

    /** How many messages have this status. */
    public long count(Status status) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gw_message WHERE status = ?")) {
            ps.setString(1, status.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("could not count messages", e);
        }
    }

    /** Counts by status, for health and metrics. */
    public java.util.Map<Status, Long> countByStatus() {
        java.util.Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM gw_message GROUP BY status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(Status.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StoreException("could not count messages", e);
        }
        return counts;
    }

    /**
     * SCHEDULED -> QUEUED for messages whose sendAt has come, at most {@code limit}, earliest first (SPEC 5). Each gets a
     * new place in its contact's order (queue_seq), after every message the contact has queued now. One transaction on
     * the store writer; one log line each. Returns how many were queued.
     */
    public int releaseScheduled(int limit) {
        long now = clock.millis();
        List<String[]> released = await(writer.submit(c -> {
            List<String[]> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.message_id, s.due_at FROM gw_schedule s "
                    + "LEFT JOIN gw_message m ON m.id = s.message_id WHERE s.due_at <= ? ORDER BY s.due_at, m.seq LIMIT ?")) {
                ps.setLong(1, now);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2))});
                    }
                }
            }
            List<String[]> queued = new ArrayList<>();
            // one at a time, in order: each takes the next queue_seq
            try (PreparedStatement update = c.prepareStatement("UPDATE gw_message SET status = 'QUEUED', "
                    + "queue_seq = nextval('gw_queue_seq'), next_attempt_at = ?, reason = NULL WHERE id = ? AND status = 'SCHEDULED'");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM gw_schedule WHERE message_id = ?")) {
                for (String[] d : due) {
                    update.setLong(1, now);
                    update.setString(2, d[0]);
                    if (update.executeUpdate() == 1) {
                        queued.add(d);
                    }
                    // its message was queued, or is no longer scheduled (e.g. deleted by hand): the row has done its work
                    delete.setString(1, d[0]);
                    delete.executeUpdate();
                }
            }
            return queued;
        }), "queue scheduled messages");
        for (String[] d : released) {
            LOG.info("id={} SCHEDULED->QUEUED attempts=0 reason=sendAt {} has come", d[0], java.time.Instant.ofEpochMilli(Long.parseLong(d[1])));
        }
        if (!released.isEmpty()) {
            onQueued.run();
        }
        return released.size();
    }

    /** HELD -> QUEUED for one contact, keeping their order (SPEC 5: released oldest first). */
    public int releaseHeld(String account, String contact) {
        int released = 0;
        for (StoredMessage m : held(account, contact)) {
            if (apply(m, Transition.of(Status.HELD, Status.QUEUED).nextAttemptAt(clock.millis()).reason(null))) {
                released++;
            }
        }
        return released;
    }

    /** The database answers: for the store health check. */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    // --- plumbing --------------------------------------------------------------------------------

    private List<StoredMessage> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            List<StoredMessage> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("could not read messages", e);
        }
    }

    private int update(String sql, Object... args) {
        return Sql.update(dataSource, "update the store", sql, args);
    }

    private static StoredMessage read(ResultSet rs) throws SQLException {
        long finished = rs.getLong("finished_at");
        Long finishedAt = rs.wasNull() ? null : finished;
        return new StoredMessage(rs.getLong("seq"), rs.getString("id"), rs.getString("source"), rs.getString("account"),
                rs.getString("contact"), rs.getString("request"), Status.valueOf(rs.getString("status")), rs.getString("route"),
                rs.getInt("attempts"), rs.getLong("accepted_at"), finishedAt, rs.getString("reason"),
                rs.getString("provider_unique"), rs.getString("provider_response"), rs.getString("errors"),
                rs.getString("delivery_status"), rs.getBoolean("rerouted"), rs.getString("claim_token"), rs.getString("problems"));
    }

    private static StoredMessage claimedAs(StoredMessage m, String token) {
        return new StoredMessage(m.seq(), m.id(), m.source(), m.account(), m.contact(), m.request(), Status.SENDING, m.route(),
                m.attempts(), m.acceptedAt(), m.finishedAt(), m.reason(), m.providerUnique(), m.providerResponse(), m.errors(),
                m.deliveryStatus(), m.rerouted(), token, m.problems());
    }
}
