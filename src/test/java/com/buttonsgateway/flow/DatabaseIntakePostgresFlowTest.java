package com.buttonsgateway.flow;

/** The legacy database intake against the PostgreSQL server on this machine (127.0.0.1:5432, database test). */
class DatabaseIntakePostgresFlowTest extends DatabaseIntakeFlowTestBase {

    @Override
    String database() {
        return "PostgreSQL";
    }

    @Override
    String url() {
        return "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=2";
    }

    @Override
    String user() {
        return "postgres";
    }

    @Override
    String password() {
        return "";
    }
}
