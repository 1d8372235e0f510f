package com.buttonsgateway.intake.poller;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row found by {@code gateway.poller.select}: its key (the {@code id} column, as text, with its JDBC type) and
 * its other columns as a request document (SPEC 4.3), built as JSON and handed on as it is.
 */
public record LegacyRow(String key, int keyType, ObjectNode document) {

    /** What results and logs show as the source (SPEC 4.5), e.g. {@code db:42}. */
    public String source() {
        return "db:" + key;
    }

    public SqlValue keyValue() {
        return new SqlValue(key, keyType);
    }
}
