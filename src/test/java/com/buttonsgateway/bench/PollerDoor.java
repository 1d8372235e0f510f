package com.buttonsgateway.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * The legacy-database poller: a legacy table (as README's WA_OUTBOX, with a template column and its first variable)
 * that the gateway polls with {@code gateway.poller.*} (select batches of 500, claim, write-back on). {@link #prepare}
 * inserts the rows in one transaction left open (invisible to the poller); the handover is its commit.
 *
 * <p>H2 runs as a TCP server in the bench's JVM (so, like PostgreSQL and MariaDB, the database's CPU is not the
 * gateway's); PostgreSQL (127.0.0.1:5432, postgres, a fresh database dropped afterwards) and MariaDB (127.0.0.1:3306,
 * root, database {@code test}, a fresh table dropped afterwards) are used when they answer, else the case is skipped.
 */
final class PollerDoor implements Door {

    private final String database;
    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final String q;
    private final int batch;
    private final int delayMs;
    private final Runnable cleanUp;
    private Connection open;

    private PollerDoor(String database, String url, String user, String password, String table, String q, int batch, int delayMs, Runnable cleanUp)
            throws SQLException {
        this.database = database;
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.q = q;
        this.batch = batch;
        this.delayMs = delayMs;
        this.cleanUp = cleanUp;
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (MSG_ID NUMERIC(10) PRIMARY KEY, PHONE VARCHAR(20) NOT NULL, MSG_TEXT VARCHAR(1024) NOT NULL, "
                    + "BTN1 VARCHAR(20) NOT NULL, TPL_NAME VARCHAR(60), TPL_VAR1 VARCHAR(60), STATUS CHAR(1) DEFAULT 'N' NOT NULL, "
                    + "WA_UNIQUE VARCHAR(64), WA_REASON VARCHAR(2000))");
            st.execute("CREATE INDEX " + table + "_NEW ON " + table + " (STATUS, MSG_ID)");
        }
    }

    static String tableName() {
        return "GW_INTAKE_BENCH_" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT);
    }

    /** H2 as a TCP server in this JVM, its files under {@code dir}. */
    static PollerDoor h2(Path dir, int batch, int delayMs) throws Exception {
        int port = com.buttonsgateway.TestGateway.freePort();
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
                dir.toAbsolutePath().toString()).start();
        try {
            return new PollerDoor("H2", "jdbc:h2:tcp://127.0.0.1:" + port + "/legacy", "sa", "", tableName(), "\"", batch, delayMs, () -> {
                server.stop();
                try (var files = java.nio.file.Files.walk(dir)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        java.nio.file.Files.deleteIfExists(p);
                    }
                } catch (java.io.IOException e) {
                    System.out.println("could not delete the H2 legacy database in " + dir + ": " + e);
                }
            });
        } catch (SQLException | RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /** A fresh database on the local PostgreSQL, dropped at close; skips the case when the server does not answer. */
    static PollerDoor postgresql(int batch, int delayMs) throws Exception {
        String server = System.getProperty("bench.postgresql", "jdbc:postgresql://127.0.0.1:5432/");
        String user = System.getProperty("bench.postgresql.user", "postgres");
        String admin = reachable("PostgreSQL", server + "test?connectTimeout=2", server + "postgres?connectTimeout=2", user, "");
        String name = "gw_intake_bench_" + Long.toHexString(System.nanoTime());
        execute(admin, user, "", "CREATE DATABASE " + name);
        try {
            return new PollerDoor("PostgreSQL", server + name, user, "", tableName(), "\"", batch, delayMs, () -> {
                try {
                    execute(admin, user, "", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.out.println("could not drop PostgreSQL database " + name + ": " + e.getMessage());
                }
            });
        } catch (SQLException | RuntimeException e) {
            execute(admin, user, "", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            throw e;
        }
    }

    /** A fresh table in the local MariaDB's database {@code test}, dropped at close; skips the case when the server does not answer. */
    static PollerDoor mariadb(int batch, int delayMs) throws Exception {
        String url = System.getProperty("bench.mariadb", "jdbc:mariadb://127.0.0.1:3306/test");
        String user = System.getProperty("bench.mariadb.user", "root");
        reachable("MariaDB", url + "?connectTimeout=2000", null, user, "");
        String table = tableName();
        // close() drops the table
        return new PollerDoor("MariaDB", url, user, "", table, "`", batch, delayMs, () -> { });
    }

    /** The first URL that answers, or the case is skipped (JUnit: aborted) with a message. */
    private static String reachable(String database, String url, String fallback, String user, String password) {
        SQLException last = null;
        for (String u : fallback == null ? new String[] {url} : new String[] {url, fallback}) {
            try (Connection c = DriverManager.getConnection(u, user, password)) {
                if (c.isValid(2)) {
                    return u.substring(0, u.indexOf('?'));
                }
            } catch (SQLException e) {
                last = e;
            }
        }
        String message = database + " is not reachable (" + url + "): " + (last == null ? "not valid" : last.getMessage()) + " - case skipped";
        System.out.println(message);
        Assumptions.abort(message);
        return null;
    }

    private static void execute(String url, String user, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    String database() {
        return database;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.poller.enabled", "true");
        p.put("gateway.poller.delay-ms", Integer.toString(delayMs));
        p.put("gateway.poller.db.url", url);
        p.put("gateway.poller.db.user", user);
        p.put("gateway.poller.db.password", password);
        p.put("gateway.poller.select", "SELECT MSG_ID AS " + q + "id" + q + ", PHONE AS " + q + "to" + q + ", MSG_TEXT AS " + q + "body" + q
                + ", BTN1 AS " + q + "button1" + q + ", TPL_NAME AS " + q + "template.name" + q + ", TPL_VAR1 AS " + q + "template.bodyVariable1" + q
                + " FROM " + table + " WHERE STATUS = 'N' ORDER BY MSG_ID LIMIT " + batch + " FOR UPDATE SKIP LOCKED");
        p.put("gateway.poller.claim", "UPDATE " + table + " SET STATUS = 'P' WHERE MSG_ID = :#id");
        p.put("gateway.poller.write-back", "UPDATE " + table + " SET STATUS = CASE :#status WHEN 'SENT' THEN 'S' WHEN 'REJECTED' THEN 'R' "
                + "WHEN 'DUPLICATE' THEN 'U' ELSE 'D' END, WA_UNIQUE = :#unique, WA_REASON = LEFT(:#reason, 2000) WHERE MSG_ID = :#id");
        return p;
    }

    @Override
    public String describe(int messages) {
        return "poller " + database + " x" + messages + " (select batches of " + batch + ", write-back on)";
    }

    /** Warm-up rows get ids of their own: 10,000,000 + n; timed rows n + 1. */
    private static long msgId(Messages items, int i) {
        return items.warm() ? 10_000_000L + items.n(i) : items.n(i) + 1L;
    }

    @Override
    public void prepare(Gateway gateway, Messages items) throws Exception {
        open = connect();
        open.setAutoCommit(false);
        try (PreparedStatement ps = open.prepareStatement("INSERT INTO " + table + " (MSG_ID, PHONE, MSG_TEXT, BTN1, TPL_NAME, TPL_VAR1) "
                + "VALUES (?, ?, ?, 'OK', 't', ?)")) {
            for (int i = 0; i < items.count(); i++) {
                ps.setLong(1, msgId(items, i));
                ps.setString(2, items.to(i));
                ps.setString(3, items.body(i));
                ps.setString(4, items.key(i));
                ps.addBatch();
                if ((i + 1) % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    @Override
    public void handOver(Gateway gateway, Messages items, long[] at) throws Exception {
        long t = System.nanoTime();
        open.commit();
        open.close();
        open = null;
        java.util.Arrays.fill(at, 0, items.count(), t);
    }

    /** Rows not written back yet (status other than S): what the poller still owes. */
    long notWrittenBack() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE STATUS <> 'S'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        try {
            if (open != null) {
                open.rollback();
                open.close();
            }
        } catch (SQLException e) {
            // closing
        }
        if (!database.equals("PostgreSQL")) {
            try {
                execute(url, user, password, "DROP TABLE IF EXISTS " + table);
            } catch (SQLException e) {
                System.out.println("could not drop " + database + " table " + table + ": " + e.getMessage());
            }
        }
        cleanUp.run();
    }
}
