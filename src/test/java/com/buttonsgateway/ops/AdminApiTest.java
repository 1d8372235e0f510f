package com.buttonsgateway.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.dispatch.DispatchMetrics;
import com.buttonsgateway.dispatch.ProviderCircuit;
import com.buttonsgateway.dispatch.Replay;
import com.buttonsgateway.dispatch.ResultFiles;
import com.buttonsgateway.intake.AcceptResult;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.sandbox.MutableClock;
import com.buttonsgateway.store.Accounts;
import com.buttonsgateway.store.CircuitStore;
import com.buttonsgateway.store.ConsoleQueries;
import com.buttonsgateway.store.Hooks;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.NewMessage;
import com.buttonsgateway.store.OptOuts;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoredMessage;
import com.buttonsgateway.store.TestH2;
import com.buttonsgateway.store.Transition;
import com.buttonsgateway.window.ContactWindows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's answers (SPEC 4.4, 7, 9, 10) without Camel: each method takes the request's values as text and
 * answers status and JSON, against a real store (in-memory H2, the real schema).
 */
class AdminApiTest {

    private static final String TOKEN = "s3cret-admin-token";
    private static final String ACCOUNT = "972771234567";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T18:00:00Z"));
    private MessageStore store;
    private Accounts accounts;
    private ResultFiles results;
    private OptOuts optOuts;
    private ContactWindows windows;
    private AdminApi api;

    @BeforeEach
    void api() throws Exception {
        DataSource h2 = TestH2.migrated("admin-api");
        store = new MessageStore(h2, clock);
        accounts = new Accounts(h2, clock);
        windows = new ContactWindows(h2, clock, Duration.ofHours(24));
        results = new ResultFiles(JSON, Files.createDirectories(dir.resolve("results")), Files.createDirectories(dir.resolve("dead-letter")));
        optOuts = new OptOuts(h2, clock);
        ProviderCircuit circuit = new ProviderCircuit(new CircuitStore(h2), store,
                new ProviderCircuit.Settings(5, 5_000, ProviderCircuit.Settings.FIVE_MINUTES, 60_000, 500));
        Replay replay = new Replay(store, results, JSON);
        ConsoleViews console = new ConsoleViews(JSON, store, new ConsoleQueries(h2, clock), windows, optOuts, results, replay,
                new DispatchMetrics(SimpleMeterRegistry::new), true, ACCOUNT, circuit);
        DuplicateReports duplicates = new DuplicateReports(JSON, dir.resolve("results"), id -> store.find(id).map(StoredMessage::contact));
        api = new AdminApi(JSON, store, accounts, windows, results, replay, console, duplicates, new Hooks(h2, clock), TOKEN);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static JsonNode json(AdminApi.Answer answer) {
        try {
            return JSON.readTree(answer.json());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + answer.json(), e);
        }
    }

    private void stored(String id, String contact) {
        store.insert(List.of(new NewMessage(id, "test", ACCOUNT, contact, "{\"body\":\"b\"}")));
    }

    /** A DEAD message; the only QUEUED one when it is made (the claim takes the oldest). */
    private void dead(String id, String contact, String reason) {
        stored(id, contact);
        StoredMessage claimed = store.claim(1, "test", 60_000).get(0);
        store.applyAndGet(claimed, Transition.of(Status.SENDING, Status.DEAD).reason(reason));
    }

    // ------------------------------------------------------------------ the token

    @Test
    void theTokenIsTheOnlyWayInAndNoRefusalRepeatsIt() {
        assertThat(api.refusal("Bearer " + TOKEN)).isNull();
        assertThat(api.refusal("  Bearer " + TOKEN + " ")).as("surrounding spaces").isNull();
        for (String wrong : new String[] {null, "", TOKEN, "Bearer", "Bearer " + TOKEN + "x", "bearer " + TOKEN, "Basic " + TOKEN}) {
            AdminApi.Answer refused = api.refusal(wrong);
            assertThat(refused.status()).as(String.valueOf(wrong)).isEqualTo(401);
            assertThat(json(refused).path("error").asText()).contains("Authorization: Bearer <gateway.admin.token>");
            assertThat(refused.json()).doesNotContain(TOKEN);
        }
    }

    @Test
    void theSandboxControlsAnswerThisMachineOrTheToken() {
        assertThat(api.localOrAdmin(null, "127.0.0.1:50000", Map.of())).isNull();
        assertThat(api.localOrAdmin("Bearer " + TOKEN, "203.0.113.7:50000", Map.of())).isNull();
        AdminApi.Answer remote = api.localOrAdmin(null, "203.0.113.7:50000", Map.of());
        assertThat(remote.status()).isEqualTo(403);
        assertThat(api.localOrAdmin("Bearer wrong", "127.0.0.1:50000", Map.of("X-Forwarded-For", "203.0.113.7")).status())
                .as("through a proxy on this machine").isEqualTo(403);
    }

    // ------------------------------------------------------------------ messages

    @Test
    void acceptedAnswersTheIntakesStatusAndList() {
        AcceptResult some = new AcceptResult("http", List.of(new AcceptResult.ItemResult(0, "a-1", Status.QUEUED, List.of()),
                new AcceptResult.ItemResult(1, "a-2", Status.REJECTED, List.of(new Problem("to", "required", "to is required")))), List.of(), List.of());
        AdminApi.Answer answer = api.accepted(some);
        assertThat(answer.status()).isEqualTo(207);
        assertThat(json(answer).findValuesAsText("id")).containsExactly("a-1", "a-2");
        assertThat(api.accepted(new AcceptResult("http", List.of(new AcceptResult.ItemResult(0, "a-1", Status.DUPLICATE, List.of())),
                List.of(), List.of())).status()).as("a duplicate counts as accepted").isEqualTo(202);
    }

    @Test
    void aMessageIsItsResultDocumentAndAnUnknownIdIs404() {
        stored("m-1", "972501110001");
        JsonNode doc = json(api.message("m-1"));
        assertThat(doc.path("id").asText()).isEqualTo("m-1");
        assertThat(doc.path("status").asText()).isEqualTo("QUEUED");
        AdminApi.Answer unknown = api.message("nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).path("error").asText()).contains("nope");
    }

    @ParameterizedTest
    @EnumSource(Status.class)
    void everyStatusOfTheStoreFiltersTheList(Status status) {
        AdminApi.Answer answer = api.messages(status.name(), null, null, null, null, null);
        assertThat(answer.status()).as(answer.json()).isEqualTo(200);
        assertThat(json(answer).isArray()).isTrue();
        assertThat(api.messages(status.name().toLowerCase(), null, null, null, null, null).status()).as("any case").isEqualTo(200);
    }

    @Test
    void anUnknownStatusNamesTheFieldAndListsEveryStatus() {
        AdminApi.Answer answer = api.messages("LOST", null, null, null, null, null);
        assertThat(answer.status()).isEqualTo(400);
        String error = json(answer).path("error").asText();
        assertThat(error).startsWith("status must be one of").contains("'LOST'");
        for (Status s : Status.values()) {
            assertThat(error).contains(s.name());
        }
    }

    @Test
    void theListFiltersByStatusContactIdAndTimeNewestFirst() {
        dead("other-1", "972501110001", "reason 4: to empty or wrong number format");
        stored("list-1", "972501110001");
        clock.advance(Duration.ofMinutes(1));
        stored("list-2", "972501110002");

        assertThat(json(api.messages(null, null, null, "list-", null, null)).findValuesAsText("id")).containsExactly("list-2", "list-1");
        assertThat(json(api.messages("queued", "972501110001", null, null, null, null)).findValuesAsText("id")).containsExactly("list-1");
        assertThat(json(api.messages("DEAD", null, null, null, null, null)).findValuesAsText("id")).containsExactly("other-1");
        assertThat(json(api.messages(null, null, "1", "list-", null, null)).findValuesAsText("id")).containsExactly("list-2");
        assertThat(json(api.messages(null, null, null, "list-", "2026-11-25T18:00:30Z", null)).findValuesAsText("id")).containsExactly("list-2");
        assertThat(json(api.messages(null, null, null, "list-", null, "2026-11-25T20:00:30+02:00")).findValuesAsText("id")).containsExactly("list-1");
        assertThat(json(api.messages(null, null, null, "list-1", null, null)).get(0).path("contact").asText()).isEqualTo("972501110001");

        assertThat(api.messages(null, null, "0", null, null, null).status()).isEqualTo(400);
        assertThat(api.messages(null, null, "x", null, null, null).status()).isEqualTo(400);
        AdminApi.Answer since = api.messages(null, null, null, null, "yesterday", null);
        assertThat(since.status()).isEqualTo(400);
        assertThat(json(since).path("error").asText()).startsWith("since ");
    }

    @Test
    void duplicatesAreListedFromTheirReportsWithTheOriginalsContact() {
        stored("dup-1", "972501110001");
        stored("dup-2", "972501110002");
        results.writeDuplicate("dup-1", "file:a.json", clock.instant());
        clock.advance(Duration.ofMinutes(1));
        results.writeDuplicate("dup-2", "http", clock.instant());

        JsonNode all = json(api.messages("DUPLICATE", null, null, null, null, null));
        assertThat(all.findValuesAsText("id")).containsExactly("dup-2", "dup-1");
        assertThat(all.findValuesAsText("status")).containsOnly("DUPLICATE");
        assertThat(all.get(1).path("contact").asText()).isEqualTo("972501110001");
        assertThat(all.get(1).path("source").asText()).isEqualTo("file:a.json");

        assertThat(json(api.messages("duplicate", "972501110001", null, null, null, null)).findValuesAsText("id")).containsExactly("dup-1");
        assertThat(json(api.messages("DUPLICATE", null, null, "dup-2", null, null)).findValuesAsText("id")).containsExactly("dup-2");
        assertThat(json(api.messages("DUPLICATE", null, null, null, "2026-11-25T18:00:30Z", null)).findValuesAsText("id")).containsExactly("dup-2");
        assertThat(json(api.messages("DUPLICATE", null, "1", null, null, null)).findValuesAsText("id")).containsExactly("dup-2");
        assertThat(json(api.messages("QUEUED", null, null, "dup-", null, null)).findValuesAsText("status"))
                .as("the originals keep their own status").containsOnly("QUEUED");
    }

    @Test
    void theDetailShowsTheRequestAndAnUnknownIdIs404() {
        stored("detail-1", "972501110001");
        JsonNode detail = json(api.detail("detail-1"));
        assertThat(detail.path("result").path("id").asText()).isEqualTo("detail-1");
        assertThat(detail.path("request").path("body").asText()).isEqualTo("b");
        assertThat(api.detail("nope").status()).isEqualTo(404);
    }

    @Test
    void replayAnswersQueuedUnknownOrNotDead() {
        dead("dead-1", "972501110001", "reason 4: to empty or wrong number format");
        AdminApi.Answer replayed = api.replay("dead-1");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(json(replayed).path("status").asText()).isEqualTo("OK");
        assertThat(store.find("dead-1").orElseThrow().status()).isEqualTo(Status.QUEUED);
        assertThat(api.replay("dead-1").status()).as("no longer DEAD").isEqualTo(409);
        assertThat(api.replay("nope").status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ accounts, contacts, conversations

    @Test
    void resumeAnswers409UnlessTheAccountIsPaused() {
        assertThat(api.resume(ACCOUNT).status()).isEqualTo(409);
        accounts.pause(ACCOUNT, "reason 3: wrong API key");
        assertThat(api.resume(ACCOUNT).status()).isEqualTo(200);
        assertThat(accounts.pausedAccounts()).isEmpty();
    }

    @Test
    void aContactsWindowIsShownPerAccount() {
        JsonNode none = json(api.window("972501110001"));
        assertThat(none.path("open").asBoolean()).isFalse();
        assertThat(none.path("accounts")).isEmpty();

        windows.inbound(ACCOUNT, "972501110001", null, clock.instant(), null);
        JsonNode open = json(api.window("972501110001"));
        assertThat(open.path("open").asBoolean()).isTrue();
        assertThat(open.path("accounts").get(0).path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(open.path("accounts").get(0).path("windowEndsAt").asText()).isEqualTo("2026-11-26T18:00:00Z");
    }

    @Test
    void optOutIsReadSetAndClearedForTheDefaultAccountOrAGivenOne() {
        assertThat(json(api.optOut("+972 50-111-0001", null)).path("optedOut").asBoolean()).isFalse();
        JsonNode out = json(api.setOptOut("972501110001", null, true));
        assertThat(out.path("account").asText()).as("from defaults to gateway.provider.from").isEqualTo(ACCOUNT);
        assertThat(out.path("contact").asText()).isEqualTo("972501110001");
        assertThat(out.path("optedOut").asBoolean()).isTrue();
        assertThat(json(api.optOut("972501110001", ACCOUNT)).path("optedOutAt").asText()).isEqualTo("2026-11-25T18:00:00Z");
        assertThat(json(api.optOut("972501110001", "972779990001")).path("optedOut").asBoolean()).as("another account").isFalse();
        assertThat(json(api.setOptOut("972501110001", ACCOUNT, false)).path("optedOut").asBoolean()).isFalse();

        assertThat(api.optOut("12", null).status()).isEqualTo(400);
        assertThat(json(api.setOptOut("972501110001", "IL.1605856887361213", true)).path("error").asText()).startsWith("from ");
    }

    @Test
    void dailyConversationsCountPerDayAndCheckDays() {
        windows.sent(ACCOUNT, "972501110001");
        JsonNode doc = json(api.daily(null, "7", ACCOUNT));
        assertThat(doc.path("from").asText()).isEqualTo(ACCOUNT);
        assertThat(doc.path("days")).hasSize(7);
        assertThat(doc.path("total").asLong()).isEqualTo(1);
        assertThat(json(api.daily(null, null, ACCOUNT)).path("days")).as("30 days by default").hasSize(30);
        assertThat(api.daily(null, "0", ACCOUNT).status()).isEqualTo(400);
        assertThat(api.daily(null, "x", ACCOUNT).status()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ the console's figures, dead letters, hooks

    @Test
    void statsCountEveryStatusAndSentPerMinuteHasItsPoints() {
        stored("s-1", "972501110001");
        JsonNode stats = json(api.stats());
        for (Status s : Status.values()) {
            assertThat(stats.path("counts").has(s.name())).as(s.name()).isTrue();
        }
        assertThat(stats.path("counts").path("QUEUED").asLong()).isEqualTo(1);
        assertThat(stats.path("defaultAccount").asText()).isEqualTo(ACCOUNT);

        assertThat(json(api.sentPerMinute(null)).path("points")).hasSize(60);
        assertThat(json(api.sentPerMinute("5")).path("points")).hasSize(5);
        assertThat(api.sentPerMinute("0").status()).isEqualTo(400);
        assertThat(api.sentPerMinute("1441").status()).isEqualTo(400);
    }

    @Test
    void deadLettersAreGroupedAndReplayedByTheSameFilter() {
        dead("dl-1", "972501110001", "reason 4: to empty or wrong number format");
        dead("dl-2", "972501110002", "reason 4: to empty or wrong number format (to: 12 is too short)");
        dead("dl-3", "972501110003", "HTTP 500: oops");

        JsonNode doc = json(api.deadLetters(null, null, null, null, null));
        assertThat(doc.path("total").asLong()).isEqualTo(3);
        assertThat(doc.path("groups").findValuesAsText("reason")).contains("reason 4: to empty or wrong number format", "HTTP 500");
        JsonNode four = json(api.deadLetters("reason 4: to empty or wrong number format", null, null, null, null));
        assertThat(four.path("messages").findValuesAsText("id")).containsExactlyInAnyOrder("dl-1", "dl-2");
        assertThat(api.deadLetters(null, null, null, null, "0").status()).isEqualTo(400);
        assertThat(api.deadLetters(null, null, "soon", null, null).status()).isEqualTo(400);

        JsonNode replayed = json(api.replayDeadLetters("reason 4: to empty or wrong number format", null, null, null));
        assertThat(replayed.path("replayed").asInt()).isEqualTo(2);
        assertThat(replayed.path("notReplayed").asInt()).isZero();
        assertThat(store.find("dl-3").orElseThrow().status()).as("another group").isEqualTo(Status.DEAD);
        assertThat(api.replayDeadLetters(null, null, null, "later").status()).isEqualTo(400);
    }

    @Test
    void hooksAreListedAndTheirParametersChecked() {
        JsonNode doc = json(api.hooks("true", null));
        assertThat(doc.path("waiting").asLong()).isZero();
        assertThat(doc.path("hooks")).isEmpty();
        assertThat(api.hooks(null, "1000").status()).isEqualTo(200);
        assertThat(api.hooks("maybe", null).status()).isEqualTo(400);
        assertThat(api.hooks(null, "0").status()).isEqualTo(400);
        assertThat(api.hooks(null, "x").status()).isEqualTo(400);
    }
}
