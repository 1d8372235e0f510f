package com.buttonsgateway.intake.poller;

/**
 * One row found by {@code gateway.poller.select}: its key (the {@code id} column, as text, with its JDBC type) and
 * its other columns as a request document (SPEC 4.3).
 */
public record LegacyRow(String key, int keyType, String document) {

    /** What results and logs show as the source (SPEC 4.5), e.g. {@code db:42}. */
    public String source() {
        return "db:" + key;
    }

    public SqlValue keyValue() {
        return new SqlValue(key, keyType);
    }
}
