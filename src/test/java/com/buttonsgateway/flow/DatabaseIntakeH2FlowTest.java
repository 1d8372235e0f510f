package com.buttonsgateway.flow;

/** The legacy database intake against a separate in-memory H2 database (SPEC 4.3). */
class DatabaseIntakeH2FlowTest extends DatabaseIntakeFlowTestBase {

    @Override
    String database() {
        return "H2";
    }

    @Override
    String url() {
        return "jdbc:h2:mem:legacy-" + table + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    String user() {
        return "sa";
    }

    @Override
    String password() {
        return "";
    }
}
