package com.buttonsgateway.dispatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import com.buttonsgateway.provider.OutcomeClassifier;
import com.buttonsgateway.request.RequestValidator;
import com.buttonsgateway.sandbox.MutableClock;
import com.buttonsgateway.request.Validation;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.CircuitStore;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.NewMessage;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.window.ContactWindows;
import com.buttonsgateway.window.WindowPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** The dispatch beans on an in-memory H2 store, without Camel, with a clock a test moves. */
final class DispatchFixture implements AutoCloseable {

    static final String ACCOUNT = "972771234567";
    static final String API_KEY = "secret-api-key-1234";

    final ObjectMapper mapper = new ObjectMapper();
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T09:00:00Z"));
    final JdbcDataSource h2 = new JdbcDataSource();
    final MessageStore store;
    final Accounts accounts;
    final ContactWindows windows;
    final OptOuts optOuts;
    final ProviderCircuit circuit;
    final Dispatcher dispatcher;
    final SendSteps steps;
    final Outcomes outcomes;
    final ResultFiles files;
    final ResultStep results;
    final Housekeeping housekeeping;
    final Replay replay;
    final Path home;
    int wakes;

    DispatchFixture(int maxAttempts, String whenClosed, String defaultTemplate) {
        h2.setURL("jdbc:h2:mem:dispatch-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        store = new MessageStore(h2, clock);
        windows = new ContactWindows(h2, clock, Duration.ofHours(24));
        optOuts = new OptOuts(h2, clock);
        circuit = new ProviderCircuit(new CircuitStore(h2), store, new ProviderCircuit.Settings(5, 5_000,
                ProviderCircuit.Settings.FIVE_MINUTES, 60_000, 0));
        Dispatcher.Settings settings = new Dispatcher.Settings("test", 4, 60_000, maxAttempts, API_KEY, "resend", 72 * 3_600_000L);
        dispatcher = new Dispatcher(store, settings, circuit);
        steps = new SendSteps(windows, new WindowPolicy(whenClosed, defaultTemplate), optOuts, mapper, API_KEY);
        DispatchMetrics metrics = new DispatchMetrics(SimpleMeterRegistry::new);
        accounts = new Accounts(h2, clock);
        outcomes = new Outcomes(new OutcomeClassifier(mapper), mapper, store, accounts, windows, circuit, new Backoff(1000, 300_000, new Random(1)),
                maxAttempts, metrics, () -> wakes++);
        try {
            home = Files.createTempDirectory("gw-dispatch-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        files = new ResultFiles(mapper, home.resolve("results"), home.resolve("dead-letter"));
        results = new ResultStep(store, files, metrics);
        housekeeping = new Housekeeping(store, windows, dispatcher, results, "resend", 72 * 3_600_000L);
        replay = new Replay(store, files, mapper);
    }

    /** Stores a request document as the intake would, QUEUED. */
    void queue(String id, String to, String documentJson) throws Exception {
        Validation v = new RequestValidator(ACCOUNT, "972", clock).validate(mapper.readTree(documentJson));
        if (!v.valid()) {
            throw new AssertionError("invalid test document: " + v.problems());
        }
        store.insert(List.of(new NewMessage(id, "test", ACCOUNT, to, mapper.writeValueAsString(v.request()))));
    }

    /** Claims what is due, as the dispatcher route does, and writes nothing else. */
    List<SendJob> claim() throws InterruptedException {
        return dispatcher.claim();
    }

    /** One message claimed and looked at: the facts the route's window choice reads. */
    SendJob claimOne() throws InterruptedException {
        List<SendJob> jobs = claim();
        if (jobs.size() != 1) {
            throw new AssertionError("expected one claimed message, got " + jobs);
        }
        return steps.look(jobs.get(0));
    }

    /** The record step without Camel: the transition committed, as RecordOutcome does. */
    SendJob record(SendJob job) {
        if (job.problems() != null) {
            return job.recorded(store.applyAndGet(job.message(), job.transition(), job.problems()));
        }
        var written = store.applyLater(job.message(), job.transition(), job.alongside());
        circuit.written(job.message().seq());
        return job.recorded(written.join());
    }

    void contactWrote(String contact) {
        windows.inbound(ACCOUNT, contact, null, clock.instant(), null);
    }

    @Override
    public void close() {
        store.close();
    }
}
