package com.buttonsgateway.intake.poller;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A value bound to a named parameter, with its JDBC type: the row key keeps the type of the legacy table's
 * {@code id} column (a NUMBER key is bound as a number, SPEC 4.3), so PostgreSQL compares it without a cast.
 * The key is kept as text in the gateway's store and turned back into its type here.
 */
public record SqlValue(String text, int sqlType) {

    public static SqlValue text(String value) {
        return new SqlValue(value, Types.VARCHAR);
    }

    public void bind(PreparedStatement ps, int index) throws SQLException {
        if (text == null) {
            ps.setNull(index, sqlType);
            return;
        }
        switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ps.setLong(index, Long.parseLong(text));
            case Types.NUMERIC, Types.DECIMAL -> ps.setBigDecimal(index, new BigDecimal(text));
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB ->
                    ps.setString(index, text);
            // a UUID or another driver-specific key: let the driver convert the text to the column's type
            default -> ps.setObject(index, text, sqlType);
        }
    }
}
