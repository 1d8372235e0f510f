package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configured SQL statement with Camel-style named parameters ({@code :#id}), turned into a JDBC statement with
 * {@code ?} placeholders (SPEC 4.3). Values are only ever bound, never put into the SQL text. Quoted strings,
 * quoted identifiers and comments are copied as they are, so a {@code :#} inside them is not a parameter.
 */
public record NamedSql(String key, String jdbc, List<String> names) {

    /** Parameter names the poller binds: {@code :#id}, {@code :#status}, {@code :#unique}, {@code :#reason}. */
    public static final Set<String> PARAMETERS = Set.of("id", "status", "unique", "reason");

    public NamedSql {
        names = List.copyOf(names);
    }

    /**
     * @param key     the configuration key the SQL came from, named in every error
     * @param sql     the SQL with {@code :#name} parameters
     * @param allowed the names this statement may use
     */
    public static NamedSql parse(String key, String sql, Set<String> allowed) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("configuration key " + key + " must be set");
        }
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == '#') {
                int start = i + 2;
                int end = start;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                String name = sql.substring(start, end);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("configuration key " + key + ": ':#' at character " + (i + 1)
                            + " must be followed by a parameter name (" + describe(allowed) + ")");
                }
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException("configuration key " + key + ": unknown parameter :#" + name
                            + (allowed.isEmpty() ? "; this statement takes no parameters" : "; use " + describe(allowed)));
                }
                names.add(name);
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new NamedSql(key, out.toString(), names);
    }

    /** Index just past the quote that closes the one at {@code open}; a doubled quote is an escaped one. */
    private static int closing(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static String describe(Set<String> allowed) {
        return allowed.stream().sorted().map(a -> ":#" + a).reduce((a, b) -> a + ", " + b).orElse("none");
    }

    public boolean uses(String name) {
        return names.contains(name);
    }

    /** Prepares the statement and binds every parameter from {@code values}. */
    public PreparedStatement prepare(Connection c, Map<String, SqlValue> values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(jdbc);
        try {
            for (int i = 0; i < names.size(); i++) {
                values.get(names.get(i)).bind(ps, i + 1);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** Runs the statement with {@code values}; returns the update count. */
    public int execute(Connection c, Map<String, SqlValue> values) throws SQLException {
        try (PreparedStatement ps = prepare(c, values)) {
            return ps.executeUpdate();
        }
    }
}
