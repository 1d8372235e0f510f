package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Set;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.dispatch.Backoff;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gateway.poller.status-update without Camel (SPEC 4.3): a legacy H2 table whose CHECK refuses one status,
 * the gateway's store on H2 with its owed statuses; the clock is moved instead of waiting for the backoff.
 */
class LegacyStatusUpdateTest {

    private static final String UPDATE = "UPDATE OUTBOX SET DLV = :#deliveryStatus WHERE MSG_ID = :#id";

    private HikariDataSource legacy;
    private HikariDataSource store;
    private final TestGateway.TestClock clock = new TestGateway.TestClock();
    private LegacyStatusUpdate update;

    @BeforeEach
    void setUp() throws Exception {
        String name = "status" + System.nanoTime();
        legacy = pool("jdbc:h2:mem:legacy-" + name + ";DB_CLOSE_DELAY=-1");
        store = pool("jdbc:h2:mem:gateway-" + name + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(store).locations("classpath:db/migration").load().migrate();
        try (Connection c = legacy.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE OUTBOX (MSG_ID NUMERIC(10) PRIMARY KEY, DLV VARCHAR(20) CHECK (DLV IS NULL OR DLV <> 'played'))");
            st.execute("INSERT INTO OUTBOX (MSG_ID) VALUES (1), (2)");
        }
        update = new LegacyStatusUpdate(legacy, NamedSql.parse("gateway.poller.status-update", UPDATE, Set.of("id", "deliveryStatus")),
                store, clock, new Backoff(1000, 300_000, new java.util.Random(1)));
    }

    @AfterEach
    void tearDown() {
        legacy.close();
        store.close();
    }

    @Test
    void aStatusIsWrittenWithTheRowsKeyTypeAndALastOneClearsTheRecord() throws Exception {
        owe("m-1", "1", "delivered");
        assertThat(update.update()).isEqualTo(1);
        assertThat(dlv(1)).isEqualTo("delivered");
        assertThat(update.update()).as("nothing owed until the next status").isZero();
        assertThat(records()).isEqualTo(1);

        owe("m-1", "1", "read");
        assertThat(update.update()).isEqualTo(1);
        assertThat(dlv(1)).isEqualTo("read");
        assertThat(records()).as("read is a last status: the record goes").isZero();
    }

    @Test
    void theRecordOfAMessageThatRetentionDeletedGoes() throws Exception {
        owe("m-1", "1", "delivered");
        owe("m-2", "2", "delivered");
        assertThat(update.update()).isEqualTo(2);
        try (Connection c = store.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM gw_message WHERE id = 'm-1'");
        }
        assertThat(update.update()).isZero();
        assertThat(records()).isEqualTo(1);
        assertThat(attempts("m-2")).isZero();
    }

    @Test
    void aFailingUpdateIsRetriedWithBackoffWithoutBlockingOthersAndGivenUpAfterItsLastTry() throws Exception {
        owe("m-1", "1", "played");
        owe("m-2", "2", "delivered");
        try (LogCapture log = LogCapture.start("status-update")) {
            assertThat(update.update()).as("m-2 written, m-1 refused by the table").isEqualTo(1);
            assertThat(dlv(2)).isEqualTo("delivered");
            assertThat(attempts("m-1")).isEqualTo(1);
            assertThat(update.update()).as("not due before its backoff").isZero();
            assertThat(log.matching("id=m-1 gateway.poller.status-update failed for row db:1 (try 1)")).hasSize(1);

            for (int i = 2; i <= LegacyStatusUpdate.MAX_ATTEMPTS; i++) {
                clock.advance(Duration.ofMinutes(6));
                update.update();
            }
            assertThat(attempts("m-1")).isEqualTo(LegacyStatusUpdate.MAX_ATTEMPTS);
            assertThat(log.matching("id=m-1 gateway.poller.status-update failed " + LegacyStatusUpdate.MAX_ATTEMPTS + " times"))
                    .hasSize(1).allMatch(l -> l.startsWith("ERROR"));
            clock.advance(Duration.ofMinutes(6));
            assertThat(update.update()).as("given up: not tried again").isZero();
            assertThat(attempts("m-1")).isEqualTo(LegacyStatusUpdate.MAX_ATTEMPTS);
        }
        // a newer status is owed afresh
        owe("m-1", "1", "failed");
        assertThat(update.update()).isEqualTo(1);
        assertThat(dlv(1)).isEqualTo("failed");
    }

    /** What the webhook's transaction does for a status hook (Hooks.deliveryStatus), after the poller remembered the row. */
    private void owe(String messageId, String key, String status) throws SQLException {
        try (Connection c = store.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO gw_message (id, source, account, contact, request, status, "
                    + "next_attempt_at, accepted_at) KEY (id) VALUES (?, ?, '972771234567', '972500000001', '{}', 'SENT', 0, 0)")) {
                ps.setString(1, messageId);
                ps.setString(2, "db:" + key);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO gw_legacy_status (message_id, row_key, row_key_type) KEY (message_id) "
                    + "VALUES (?, ?, ?)")) {
                ps.setString(1, messageId);
                ps.setString(2, key);
                ps.setInt(3, Types.NUMERIC);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE gw_legacy_status SET delivery_status = ?, next_at = ?, attempts = 0, last_error = NULL WHERE message_id = ?")) {
                ps.setString(1, status);
                ps.setLong(2, clock.millis());
                ps.setString(3, messageId);
                ps.executeUpdate();
            }
        }
    }

    private String dlv(int id) throws SQLException {
        try (Connection c = legacy.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT DLV FROM OUTBOX WHERE MSG_ID = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private int attempts(String messageId) throws SQLException {
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT attempts FROM gw_legacy_status WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int records() throws SQLException {
        try (Connection c = store.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM gw_legacy_status")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
