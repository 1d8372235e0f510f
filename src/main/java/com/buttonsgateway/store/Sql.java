package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import javax.sql.DataSource;

/** Binding of plain values to a statement, shared by the store's classes. */
public final class Sql {

    private Sql() {
    }

    /** Binds each value by its Java type; a null is bound untyped, so H2 and PostgreSQL take it for any column. */
    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    /**
     * One UPDATE, INSERT or DELETE in a connection of its own (auto-commit); the rows it changed. A failure is a
     * {@link StoreException} that says what could not be done: {@code "could not " + what}.
     */
    static int update(DataSource dataSource, String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    /** A unique-key violation (SQLSTATE 23505, as H2 and PostgreSQL report it), in the chain of next exceptions or causes. */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return e.getCause() instanceof SQLException cause && isUniqueViolation(cause);
    }
}
