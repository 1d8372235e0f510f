package com.buttonsgateway.store;

import java.time.Clock;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Values longer than their columns are cut to fit, never a failed write (SPEC 7). */
class ColumnFitTest {

    private MessageStore store;

    @BeforeEach
    void store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:columns-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        store = new MessageStore(h2, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCutCountsCodePointsAndNeverSplitsOne() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        assertThat(Columns.fit(emoji.repeat(5), 3)).isEqualTo(emoji.repeat(3));
        assertThat(Columns.fit("abc", 3)).isEqualTo("abc");
        assertThat(Columns.fit(null, 3)).isNull();
        assertThat(Columns.fitText("abcdefghij", 8)).isEqualTo("abcde...");
        assertThat(Columns.fitText("abcdefgh", 8)).isEqualTo("abcdefgh");
    }

    @Test
    void overlongValuesFromOutsideAreCutToTheirColumnsAndWritten() {
        store.insert(List.of(new NewMessage("c-1", "mail:" + "s".repeat(700), "972771234567", "972501234567", "{}")));
        StoredMessage m = store.claim(1, "test", 60_000).get(0);
        assertThat(m.source()).hasSize(Columns.SOURCE).endsWith("...");

        StoredMessage dead = store.applyAndGet(m, Transition.of(Status.SENDING, Status.DEAD).provider("u".repeat(300), "{}")
                .reason("reason 5: " + "r".repeat(3000)));
        assertThat(dead).isNotNull();
        StoredMessage stored = store.find("c-1").orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.DEAD);
        assertThat(stored.providerUnique()).hasSize(Columns.PROVIDER_UNIQUE);
        assertThat(stored.reason()).hasSize(Columns.REASON).startsWith("reason 5: ").endsWith("...");
        assertThat(store.byProviderUnique("u".repeat(300))).map(StoredMessage::id).contains("c-1");

        Accounts accounts = new Accounts(store.dataSource(), Clock.systemUTC());
        accounts.pause("972771234567", "reason 3: " + "p".repeat(1000));
        assertThat(accounts.pausedAccounts().get("972771234567")).hasSize(Columns.PAUSED_REASON);
        store.deliveryStatus("c-1", "d".repeat(100));
        assertThat(store.find("c-1").orElseThrow().deliveryStatus()).hasSize(Columns.DELIVERY_STATUS);
    }
}
