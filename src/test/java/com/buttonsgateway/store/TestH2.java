package com.buttonsgateway.store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** An in-memory H2 store with the gateway's schema (Flyway), one per call: the bean tests' database, no Camel. */
public final class TestH2 {

    private TestH2() {
    }

    public static DataSource migrated(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        return h2;
    }
}
