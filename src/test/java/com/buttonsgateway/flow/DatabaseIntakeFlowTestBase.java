package com.buttonsgateway.flow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import com.buttonsgateway.LogCapture;
import com.buttonsgateway.TestGateway;
import com.buttonsgateway.intake.poller.LegacyPoller;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The legacy database intake end to end (SPEC 4.3), through the real gateway: a legacy-looking table
 * (upper-case columns, a numeric key, a CHAR(1) status flag, phones with '+', spaces or a national 0) in the database
 * of the subclass, created for this class and dropped after it; rows are inserted and their outcome is awaited on the
 * row itself, where the legacy system reads it. Skipped, with the reason, when the database is not reachable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseIntakeFlowTestBase {

    /** Unique per run: the servers are shared with other test runs on this machine. */
    protected final String table = "GW_OUTBOX_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);

    private TestGateway gateway;

    /** A name for messages, e.g. "PostgreSQL". */
    abstract String database();

    abstract String url();

    abstract String user();

    abstract String password();

    /**
     * CREATE TABLE for {@link #table}: MSG_ID numeric key, PHONE, MSG_TEXT, BTN1, BTN2, HDR numeric, TPL_NAME, STATUS
     * CHAR(1) 'N', CLAIMS, WA_UNIQUE, WA_REASON. Standard SQL (H2, PostgreSQL); a database that differs overrides it.
     */
    String createTable() {
        return "CREATE TABLE " + table + " (MSG_ID NUMERIC(10) PRIMARY KEY, PHONE VARCHAR(20), MSG_TEXT VARCHAR(1000), "
                + "BTN1 VARCHAR(20), BTN2 VARCHAR(20), HDR NUMERIC(1), TPL_NAME VARCHAR(40), STATUS CHAR(1) DEFAULT 'N' NOT NULL, "
                + "CLAIMS INT DEFAULT 0 NOT NULL, WA_UNIQUE VARCHAR(64), WA_REASON VARCHAR(2000))";
    }

    /**
     * The select as a user of this database writes it: aliases quoted its way, FOR UPDATE SKIP LOCKED. Standard
     * double-quoted aliases (H2, PostgreSQL); a database that quotes otherwise overrides it.
     */
    String select() {
        return "SELECT MSG_ID AS \"id\", PHONE AS \"to\", MSG_TEXT AS \"body\", BTN1 AS \"button1\", BTN2 AS \"button2\", "
                + "HDR AS \"header\", TPL_NAME AS \"template.name\" FROM " + table + " WHERE STATUS = 'N' ORDER BY MSG_ID "
                + "LIMIT 20 FOR UPDATE SKIP LOCKED";
    }

    String claim() {
        return "UPDATE " + table + " SET STATUS = 'P', CLAIMS = CLAIMS + 1 WHERE MSG_ID = :#id";
    }

    String writeBack() {
        return "UPDATE " + table + " SET STATUS = CASE :#status WHEN 'SENT' THEN 'S' WHEN 'REJECTED' THEN 'R' "
                + "WHEN 'DUPLICATE' THEN 'U' ELSE 'D' END, WA_UNIQUE = :#unique, WA_REASON = :#reason WHERE MSG_ID = :#id";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    @BeforeAll
    void start() throws Exception {
        boolean reachable;
        try (Connection c = connect()) {
            reachable = c.isValid(2);
        } catch (SQLException e) {
            reachable = false;
        }
        Assumptions.assumeTrue(reachable, database() + " (" + url() + ") is not reachable: its legacy database poller tests are skipped");
        execute(createTable());
        // where the legacy system reads the delivery status (gateway.poller.status-update, SPEC 4.3)
        execute("ALTER TABLE " + table + " ADD COLUMN DLV_STATUS VARCHAR(64)");
        Map<String, String> p = new HashMap<>();
        p.put("gateway.poller.enabled", "true");
        p.put("gateway.poller.delay-ms", "250");
        p.put("gateway.poller.db.url", url());
        p.put("gateway.poller.db.user", user());
        p.put("gateway.poller.db.password", password());
        p.put("gateway.poller.select", select());
        p.put("gateway.poller.claim", claim());
        p.put("gateway.poller.write-back", writeBack());
        p.put("gateway.poller.status-update", "UPDATE " + table + " SET DLV_STATUS = :#deliveryStatus WHERE MSG_ID = :#id");
        p.put("gateway.default-country-code", "972");
        gateway = TestGateway.start("db-" + database().toLowerCase(Locale.ROOT), p);
        // the one fault no real source makes on demand: the gateway's store failing for chosen rows (STYLE 5)
        StoreDown.install(gateway.context().getRegistry().lookupByNameAndType("gatewayDataSource", javax.sql.DataSource.class));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            execute("DROP TABLE " + table);
        }
    }

    @Test
    void validRowsAreSentAndWrittenBackSentWithTheProvidersUnique() throws Exception {
        insert(1001, "+972 50-120 1001", "Your order 1001 is ready");
        insert(1002, "050 120 1002", "Your order 1002 is ready");   // national: gateway.default-country-code
        insert(1003, "  972 50 120 1003 ", "Your order 1003 is ready");
        for (int id = 1001; id <= 1003; id++) {
            int row = id;
            await().atMost(Duration.ofSeconds(30)).until(() -> "S".equals(column(row, "STATUS")));
            JsonNode result = gateway.awaitResult(messageId("db:" + row));
            assertThat(result.path("status").asText()).isEqualTo("SENT");
            assertThat(result.path("source").asText()).isEqualTo("db:" + row);
            assertThat(result.path("route").asText()).isEqualTo("template");
            assertThat(column(row, "WA_UNIQUE")).isEqualTo(result.path("provider").path("unique").asText()).isNotBlank();
            assertThat(column(row, "WA_REASON")).isNull();
            assertThat(column(row, "CLAIMS")).isEqualTo("1");
        }
        assertThat(gateway.awaitResult(messageId("db:1002")).path("id").asText()).startsWith("1002-0-");
        assertThat(contactOf("db:1002")).isEqualTo("972501201002");
        assertThat(contactOf("db:1003")).isEqualTo("972501201003");
    }

    @Test
    void anInvalidRowIsWrittenBackRejectedWithItsProblemsAndNeverTakenAgain() throws Exception {
        insert(2001, "12", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "R".equals(column(2001, "STATUS")));
        assertThat(column(2001, "WA_REASON")).contains("to: ").contains("body: ");
        assertThat(column(2001, "WA_UNIQUE")).isNull();

        NotifyBuilder threeMorePolls = new NotifyBuilder(gateway.context()).fromRoute("intake-database").whenDone(3).create();
        assertThat(threeMorePolls.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(column(2001, "CLAIMS")).isEqualTo("1");
        assertThat(column(2001, "STATUS")).isEqualTo("R");
        assertThat(messageIds("db:2001")).isEmpty();
    }

    @Test
    void aRowWhoseItemCouldNotBeStoredIsNotClaimedAndIsTakenOnceTheStoreIsBack() throws Exception {
        StoreDown.downFor("db:3001");
        insert(3001, "+972-50-130-3001", "Stored on the second try");
        await().atMost(Duration.ofSeconds(30)).until(() -> StoreDown.tries("db:3001") >= 2);
        assertThat(column(3001, "STATUS")).isEqualTo("N");
        assertThat(column(3001, "CLAIMS")).isEqualTo("0");
        assertThat(messageIds("db:3001")).isEmpty();

        StoreDown.backFor("db:3001");
        await().atMost(Duration.ofSeconds(30)).until(() -> "S".equals(column(3001, "STATUS")));
        assertThat(column(3001, "CLAIMS")).isEqualTo("1");
        assertThat(messageIds("db:3001")).hasSize(1);
    }

    @Test
    void twoPollersAndTheRouteNeverTakeTheSameRow() throws Exception {
        int first = 4000;
        int rows = 120;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + table + " (MSG_ID, PHONE, MSG_TEXT, BTN1, HDR, TPL_NAME) VALUES (?, ?, ?, 'OK', 1, 'parallel')")) {
            c.setAutoCommit(false);
            for (int id = first; id < first + rows; id++) {
                ps.setInt(1, id);
                ps.setString(2, "+97250140" + id);
                ps.setString(3, "parallel " + id);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        LegacyPoller poller = gateway.context().getRegistry().lookupByNameAndType("legacyPoller", LegacyPoller.class);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> taken = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                taken.add(threads.submit(() -> {
                    int n = 0;
                    for (int got = poller.poll(); got > 0; got = poller.poll()) {
                        n += got;
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : taken) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("STATUS = 'N' AND MSG_ID >= " + first) == 0);
        assertThat(count("CLAIMS = 1 AND MSG_ID >= " + first)).isEqualTo(rows);
        assertThat(count("STATUS = 'U' AND MSG_ID >= " + first)).as("rows written back DUPLICATE").isZero();
        try (Connection c = gatewayStore().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM gw_message WHERE source LIKE 'db:4___'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(rows);
        }
    }

    @Test
    void aRowWhoseWriteBackAlwaysFailsIsSkippedAndReportedAndTheRowsAfterItAreWrittenBack() throws Exception {
        // the legacy table refuses any outcome for rows 3501 and 3502 (as a trigger or a constraint of its owner might)
        String constraint = "CK_" + table + "_NO_OUTCOME";
        // H2 2.4 evaluates a constraint added by ALTER TABLE in the session that added it: that session stays open meanwhile
        try (Connection owner = connect(); Statement st = owner.createStatement();
             LogCapture log = LogCapture.start("db-skip-" + database())) {
            st.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " CHECK (MSG_ID NOT IN (3501, 3502) OR STATUS IN ('N', 'P'))");
            insert(3501, "12", null);                                   // rejected: its write-back comes with its claim
            insert(3502, "+972-50-135-3502", "Sent, but its outcome is refused");
            insert(3503, "+972-50-135-3503", "After them");
            await().atMost(Duration.ofSeconds(30)).until(() -> "S".equals(column(3503, "STATUS")));
            insert(3504, "+972-50-135-3504", "Later still");
            await().atMost(Duration.ofSeconds(30)).until(() -> "S".equals(column(3504, "STATUS")));
            await().atMost(Duration.ofSeconds(30)).until(() -> !log.matching("row db:3501 skipped").isEmpty()
                    && log.lines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("row db:3502 skipped")));
            assertThat(log.matching("row db:3501 skipped")).allMatch(l -> l.startsWith("ERROR"));
            assertThat(column(3501, "STATUS")).isEqualTo("N");
            assertThat(column(3502, "STATUS")).isEqualTo("P");
            assertThat(gateway.get("/observe/metrics", null).body())
                    .contains("gateway_poller_skipped_total{step=\"gateway.poller.write-back\"} 2.0");
            st.execute("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint);
        } finally {
            execute("DELETE FROM " + table + " WHERE MSG_ID IN (3501, 3502)");
        }
    }

    @Test
    void statusHooksForARowsMessageReachTheRowThroughStatusUpdate() throws Exception {
        insert(5001, "+972 50 150 5001", "Your order 5001 is ready");
        await().atMost(Duration.ofSeconds(30)).until(() -> "S".equals(column(5001, "STATUS")));
        String unique = column(5001, "WA_UNIQUE");
        String token = gateway.property("gateway.webhook.token");
        assertThat(gateway.post("/webhook/" + token, statusHook(unique, "2"), null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(column(5001, "DLV_STATUS")));
        assertThat(gateway.post("/webhook/" + token, statusHook(unique, "\"read\""), null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "read".equals(column(5001, "DLV_STATUS")));

        // a late "delivered" does not take the row back; nothing else of the row changes
        NotifyBuilder twoMoreRuns = new NotifyBuilder(gateway.context()).fromRoute("intake-database-status").whenDone(2).create();
        assertThat(gateway.post("/webhook/" + token, statusHook(unique, "\"delivered\""), null).statusCode()).isEqualTo(200);
        assertThat(twoMoreRuns.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(column(5001, "DLV_STATUS")).isEqualTo("read");
        assertThat(column(5001, "STATUS")).isEqualTo("S");
        assertThat(gateway.awaitResult(messageId("db:5001")).path("status").asText()).isEqualTo("SENT");
    }

    @Test
    void aRowToAContactWhoOptedOutIsWrittenBackRejectedAndReachesNoProvider() throws Exception {
        // the contact writes STOP (SPEC 5): its rows are refused at dispatch, and the legacy table is told why
        assertThat(gateway.post("/sandbox/inbound", "{\"from\": \"972501606001\", \"body\": \"STOP\"}", null).statusCode()).isEqualTo(202);
        insert(6001, "+972 50 160 6001", "An offer for you");
        await().atMost(Duration.ofSeconds(30)).until(() -> "R".equals(column(6001, "STATUS")));
        assertThat(column(6001, "WA_REASON")).isEqualTo("contact opted out");
        assertThat(column(6001, "WA_UNIQUE")).isNull();
        JsonNode result = gateway.awaitResult(messageId("db:6001"));
        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
        assertThat(gateway.context().getRegistry().lookupByNameAndType("sandbox", com.buttonsgateway.sandbox.SandboxProvider.class)
                .received()).noneMatch(r -> "972501606001".equals(r.path("to").asText()));
    }

    private static String statusHook(String unique, String ack) {
        return "{\"status\":\"OK\",\"hook\":\"status\",\"unique\":\"" + unique + "\",\"ack\":" + ack + "}";
    }

    // --- the legacy table, as its owner sees it ---------------------------------------------------------------

    void insert(int id, String phone, String text) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + table + " (MSG_ID, PHONE, MSG_TEXT, BTN1, BTN2, HDR, TPL_NAME) VALUES (?, ?, ?, 'Today', 'Tomorrow', 1, 'order_ready')")) {
            ps.setInt(1, id);
            ps.setString(2, phone);
            ps.setString(3, text);
            ps.executeUpdate();
        }
    }

    String column(int id, String column) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE MSG_ID = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (rs.getString(1) == null ? null : rs.getString(1).strip()) : null;
            }
        }
    }

    int count(String where) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    // --- the gateway's store ------------------------------------------------------------------------------------

    private DataSource gatewayStore() {
        return gateway.context().getRegistry().lookupByNameAndType("gatewayDataSource", DataSource.class);
    }

    private List<String> messageIds(String source) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = gatewayStore().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM gw_message WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private String messageId(String source) throws SQLException {
        List<String> ids = messageIds(source);
        assertThat(ids).as("messages from %s", source).hasSize(1);
        return ids.get(0);
    }

    private String contactOf(String source) throws SQLException {
        try (Connection c = gatewayStore().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT contact FROM gw_message WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
