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

    @Override
    String createTable() {
        return "CREATE TABLE " + table + " (MSG_ID NUMERIC(10) PRIMARY KEY, PHONE VARCHAR(20), MSG_TEXT VARCHAR(1000), "
                + "BTN1 VARCHAR(20), BTN2 VARCHAR(20), HDR NUMERIC(1), TPL_NAME VARCHAR(40), STATUS CHAR(1) DEFAULT 'N' NOT NULL, "
                + "CLAIMS INT DEFAULT 0 NOT NULL, WA_UNIQUE VARCHAR(64), WA_REASON VARCHAR(2000))";
    }

    @Override
    String select() {
        return "SELECT MSG_ID AS \"id\", PHONE AS \"to\", MSG_TEXT AS \"body\", BTN1 AS \"button1\", BTN2 AS \"button2\", "
                + "HDR AS \"header\", TPL_NAME AS \"template.name\" FROM " + table + " WHERE STATUS = 'N' ORDER BY MSG_ID "
                + "LIMIT 20 FOR UPDATE SKIP LOCKED";
    }
}
