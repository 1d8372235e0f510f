package com.buttonsgateway.flow;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.buttonsgateway.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's legacy database configuration is copy-pasteable: its table and its properties, exactly as printed
 * (only the database address and the table's name are changed), take a row, send it and write the outcome back,
 * on PostgreSQL and on MariaDB. Skipped for a server that is not reachable.
 */
class ReadmePollerConfigurationTest {

    private static final String SECTION = "### Legacy database poller";

    @Test
    void postgresqlConfigurationWorksAsPrinted() throws Exception {
        run("jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=2", "postgres", 0);
    }

    @Test
    void mariadbConfigurationWorksAsPrinted() throws Exception {
        run("jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000", "root", 1);
    }

    private void run(String url, String user, int variant) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            Assumptions.assumeTrue(c.isValid(2));
        } catch (SQLException e) {
            Assumptions.abort(url + " is not reachable: the README's configuration for it is not tried");
        }
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf(SECTION), readme.indexOf("### Mail"));
        String table = "WA_OUTBOX_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        List<String> sql = blocks(section, "sql");
        List<String> properties = blocks(section, "properties");
        Properties printed = new Properties();
        printed.load(new StringReader(properties.get(0)));
        if (variant > 0) {
            printed.load(new StringReader(properties.get(variant)));
        }
        Map<String, String> p = new HashMap<>();
        printed.forEach((k, v) -> p.put(k.toString(), v.toString().replace("WA_OUTBOX", table)));
        assertThat(p).containsKeys("gateway.poller.enabled", "gateway.poller.select", "gateway.poller.claim", "gateway.poller.write-back");
        p.put("gateway.poller.db.url", url);
        p.put("gateway.poller.db.user", user);
        p.put("gateway.poller.delay-ms", "250");
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
            for (String statement : sql.get(0).replace("WA_OUTBOX", table).split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        }
        try (TestGateway gateway = TestGateway.start("readme-poller", p)) {
            try (Connection c = DriverManager.getConnection(url, user, ""); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + table + " (MSG_ID, PHONE, MSG_TEXT, BTN1, BTN2, TPL_NAME) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, 1001);
                ps.setString(2, "050 123 4567");
                ps.setString(3, "Your order 1001 is ready");
                ps.setString(4, "Today");
                ps.setString(5, "Tomorrow");
                ps.setString(6, "order_ready");
                ps.executeUpdate();
                ps.setInt(1, 1002);
                ps.setString(2, "12");
                ps.executeUpdate();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> "S".equals(column(url, user, table, 1001, "STATUS")));
            assertThat(column(url, user, table, 1001, "WA_UNIQUE")).isNotBlank();
            await().atMost(Duration.ofSeconds(30)).until(() -> "R".equals(column(url, user, table, 1002, "STATUS")));
            assertThat(column(url, user, table, 1002, "WA_REASON")).startsWith("to: ");
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
                st.execute("DROP TABLE " + table);
            }
        }
    }

    private static List<String> blocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String column(String url, String user, String table, int id, String column) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE MSG_ID = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? rs.getString(1).strip() : null;
            }
        }
    }
}
