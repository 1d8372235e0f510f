package com.buttonsgateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The machine's PostgreSQL for tests of several instances sharing one store: is it up, a fresh database of a test's
 * own, and dropping it afterwards. Tests skip with a message when it is not running.
 */
public final class TestPostgres {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private TestPostgres() {
    }

    public static boolean up() {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates a database named {@code prefix} plus a unique suffix and returns its name. */
    public static String createDatabase(String prefix) throws SQLException {
        String database = prefix + Long.toHexString(System.nanoTime());
        execute("CREATE DATABASE " + database);
        return database;
    }

    public static void dropDatabase(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
