package com.buttonsgateway.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.awaitility.Awaitility.await;

/**
 * By hand, not in the normal run (the name matches no surefire pattern): how many legacy rows per second the poller
 * takes into the store (stored and claimed), from a 10,000-row table, through the real gateway with write-back on
 * and dispatch running. Run:
 * <pre>mvn -B test -Dtest=PollerBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * The figures are appended to target/poller-benchmark.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PollerBenchmark {

    static final int ROWS = 10_000;
    static final int BATCH = 500;

    /** Not measured: loads the classes and lets the JIT compile the paths every database shares. */
    @Test
    @Order(0)
    void warmUp() throws Exception {
        String table = table();
        run("H2 warm-up", "jdbc:h2:mem:bench-" + table + ";DB_CLOSE_DELAY=-1", "sa", "", table, "\"", "\"", 3_000);
    }

    @Test
    @Order(1)
    void h2() throws Exception {
        String table = table();
        run("H2", "jdbc:h2:mem:bench-" + table + ";DB_CLOSE_DELAY=-1", "sa", "", table, "\"", "\"", ROWS);
    }

    @Test
    @Order(2)
    void postgresql() throws Exception {
        run("PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=2", "postgres", "", table(), "\"", "\"", ROWS);
    }

    @Test
    @Order(3)
    void mariadb() throws Exception {
        run("MariaDB", "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000", "root", "", table(), "`", "`", ROWS);
    }

    private static String table() {
        return "GW_BENCH_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

    private void run(String database, String url, String user, String password, String table, String open, String close, int rows)
            throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            Assumptions.assumeTrue(c.isValid(2), database + " is not reachable");
        } catch (SQLException e) {
            Assumptions.abort(database + " (" + url + ") is not reachable: " + e.getMessage());
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (MSG_ID NUMERIC(10) PRIMARY KEY, PHONE VARCHAR(20), MSG_TEXT VARCHAR(1000), "
                    + "BTN1 VARCHAR(20), STATUS CHAR(1) DEFAULT 'N' NOT NULL, WA_UNIQUE VARCHAR(64), WA_REASON VARCHAR(2000))");
            st.execute("CREATE INDEX " + table + "_ST ON " + table + " (STATUS, MSG_ID)");
        }
        Map<String, String> p = new HashMap<>();
        p.put("gateway.poller.enabled", "true");
        p.put("gateway.poller.delay-ms", "200");
        p.put("gateway.poller.db.url", url);
        p.put("gateway.poller.db.user", user);
        p.put("gateway.poller.db.password", password);
        p.put("gateway.poller.select", "SELECT MSG_ID AS " + open + "id" + close + ", PHONE AS " + open + "to" + close + ", MSG_TEXT AS "
                + open + "body" + close + ", BTN1 AS " + open + "button1" + close + " FROM " + table + " WHERE STATUS = 'N' ORDER BY MSG_ID LIMIT "
                + BATCH + " FOR UPDATE SKIP LOCKED");
        p.put("gateway.poller.claim", "UPDATE " + table + " SET STATUS = 'P' WHERE MSG_ID = :#id");
        p.put("gateway.poller.write-back", "UPDATE " + table + " SET STATUS = CASE :#status WHEN 'SENT' THEN 'S' WHEN 'REJECTED' THEN 'R' "
                + "ELSE 'D' END, WA_UNIQUE = :#unique, WA_REASON = :#reason WHERE MSG_ID = :#id");
        p.put("gateway.template.default-name", "bench");
        try (TestGateway gateway = TestGateway.start("bench-" + database.toLowerCase(Locale.ROOT), p)) {
            try (Connection c = DriverManager.getConnection(url, user, password);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (MSG_ID, PHONE, MSG_TEXT, BTN1) VALUES (?, ?, ?, 'OK')")) {
                c.setAutoCommit(false);
                for (int id = 1; id <= rows; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "+972 50 " + (1_000_000 + id));
                    ps.setString(3, "Benchmark message " + id);
                    ps.addBatch();
                    if (id % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                c.commit();
            }
            Instant start = Instant.now();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(() -> remaining(url, user, password, table) == 0);
            Duration took = Duration.between(start, Instant.now());
            double perSecond = rows * 1000.0 / took.toMillis();
            String line = String.format(Locale.ROOT, "%s %s: %d rows taken into the store in %.2f s = %.0f rows/s (select batch %d, "
                    + "write-back on, dispatch running, %d cores)%n", Instant.now(), database, rows, took.toMillis() / 1000.0, perSecond,
                    BATCH, Runtime.getRuntime().availableProcessors());
            System.out.print("BENCHMARK " + line);
            if (rows != ROWS) {
                return;
            }
            Files.writeString(Path.of("target/poller-benchmark.txt"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("DROP TABLE " + table);
            }
        }
    }

    private static int remaining(String url, String user, String password, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE STATUS = 'N'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

}
