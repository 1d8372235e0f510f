package com.buttonsgateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import com.buttonsgateway.sandbox.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sender accounts: ever had an OK, paused by reason 2/3 and resumed (SPEC 7), without Camel. */
class AccountsTest {

    private static final String ACCOUNT = "972771234567";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private DataSource h2;
    private Accounts accounts;
    private MessageStore store;

    @BeforeEach
    void store() {
        h2 = TestH2.migrated("accounts");
        accounts = new Accounts(h2, clock);
        store = new MessageStore(h2, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anAccountHasNoOkUntilTheProviderAnswersOneAndAnotherInstanceSeesIt() {
        assertThat(accounts.everOk(ACCOUNT)).isFalse();
        accounts.accountOk(ACCOUNT);
        accounts.accountOk(ACCOUNT);
        assertThat(accounts.everOk(ACCOUNT)).isTrue();
        assertThat(new Accounts(h2, clock).everOk(ACCOUNT)).as("kept in the store, not only in this process").isTrue();
        assertThat(accounts.everOk("972770000000")).isFalse();
    }

    @Test
    void aPauseKeepsItsReasonUntilResumedAndResumingAnAccountNotPausedSaysSo() {
        assertThat(accounts.resume(ACCOUNT)).isFalse();
        accounts.pause(ACCOUNT, "reason 3: wrong apiKey");
        assertThat(accounts.pausedAccounts()).containsExactly(java.util.Map.entry(ACCOUNT, "reason 3: wrong apiKey"));
        assertThat(accounts.everOk(ACCOUNT)).as("a pause is no OK").isFalse();

        accounts.pause(ACCOUNT, "reason 2: account not found");
        assertThat(accounts.pausedAccounts()).containsEntry(ACCOUNT, "reason 2: account not found").hasSize(1);
        assertThat(accounts.resume(ACCOUNT)).isTrue();
        assertThat(accounts.pausedAccounts()).isEmpty();
        assertThat(accounts.resume(ACCOUNT)).isFalse();
    }

    @Test
    void anOkAfterAPauseKeepsThePauseAndAPauseAfterAnOkKeepsTheOk() {
        accounts.pause(ACCOUNT, "reason 3: wrong apiKey");
        accounts.accountOk(ACCOUNT);
        assertThat(accounts.pausedAccounts()).containsKey(ACCOUNT);
        assertThat(new Accounts(h2, clock).everOk(ACCOUNT)).isTrue();

        accounts.accountOk("972770000000");
        accounts.pause("972770000000", "reason 3: wrong apiKey");
        assertThat(new Accounts(h2, clock).everOk("972770000000")).isTrue();
        assertThat(accounts.pausedAccounts()).containsOnlyKeys(ACCOUNT, "972770000000");
    }

    @Test
    void aRestartResumesEveryPausedAccount() {
        accounts.pause(ACCOUNT, "reason 3");
        accounts.pause("972770000000", "reason 2");
        accounts.resumeAll();
        assertThat(accounts.pausedAccounts()).isEmpty();
    }

    @Test
    void aLongReasonIsCutToItsColumn() {
        accounts.pause(ACCOUNT, "reason 3: " + "p".repeat(1000));
        assertThat(accounts.pausedAccounts().get(ACCOUNT)).hasSize(Columns.PAUSED_REASON).endsWith("...");
    }

    @Test
    void aPausedAccountsMessagesAreNotClaimedUntilItIsResumed() {
        store.insert(List.of(new NewMessage("p-1", "test", ACCOUNT, "972501234567", "{}"),
                new NewMessage("o-1", "test", "972770000000", "972501234567", "{}")));
        accounts.pause(ACCOUNT, "reason 3: wrong apiKey");
        assertThat(store.claim(10, "test", 60_000)).extracting(StoredMessage::id).containsExactly("o-1");
        accounts.resume(ACCOUNT);
        clock.advance(Duration.ofMillis(1));
        assertThat(store.claim(10, "test", 60_000)).extracting(StoredMessage::id).containsExactly("p-1");
    }
}
