package com.buttonsgateway.intake.poller;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.buttonsgateway.request.KnownFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a row of {@code gateway.poller.select} into a request document (SPEC 4.3): each column alias is a field
 * name, matched to the documented spelling whatever its case (H2 and Oracle upper-case unquoted aliases);
 * {@code template.name}-style aliases fill the {@code template} object; a NULL column is an absent field; numbers
 * stay JSON numbers (the validator reads a number as its digits where SPEC 3 allows one). The {@code id} column is
 * the row key, not a field: the message id is derived from it (SPEC 3), so a row read twice is a duplicate.
 * <p>
 * The document goes to the accept step as this tree, never as text parsed again, so its numbers are the nodes a JSON
 * parser would make of their text (the smallest of int, long and big integer; a fraction as a double): the item's
 * text, and with it the derived id, is the one the row's JSON text would give.
 */
public final class RowDocuments {

    static final String KEY = "id";
    private static final String TEMPLATE = "template";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Column> columns;
    private final int keyColumn;
    private final int keyType;

    private RowDocuments(List<Column> columns, int keyColumn, int keyType) {
        this.columns = columns;
        this.keyColumn = keyColumn;
        this.keyType = keyType;
    }

    /** Reads the columns of a result; refuses a select without an {@code id} column, or with a name twice. */
    public static RowDocuments of(ResultSetMetaData meta) throws SQLException {
        Map<String, String> request = canonical(KnownFields.request());
        Map<String, String> template = canonical(KnownFields.template());
        List<Column> columns = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        int keyColumn = -1;
        int keyType = Types.VARCHAR;
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String label = meta.getColumnLabel(i);
            if (label == null || label.isBlank()) {
                label = meta.getColumnName(i);
            }
            String lower = label.toLowerCase(Locale.ROOT);
            if (lower.equals(KEY)) {
                keyColumn = i;
                keyType = meta.getColumnType(i);
                continue;
            }
            String parent = null;
            String name;
            if (lower.startsWith(TEMPLATE + ".")) {
                parent = TEMPLATE;
                String child = label.substring(TEMPLATE.length() + 1);
                name = template.getOrDefault(child.toLowerCase(Locale.ROOT), child);
            } else {
                name = request.getOrDefault(lower, label);
            }
            String field = parent == null ? name : parent + "." + name;
            if (seen.contains(field)) {
                throw new IllegalArgumentException("configuration key gateway.poller.select: the column '" + field
                        + "' is selected twice");
            }
            seen.add(field);
            columns.add(new Column(i, parent, name, meta.getColumnType(i)));
        }
        if (keyColumn < 0) {
            throw new IllegalArgumentException("configuration key gateway.poller.select: it must select the row's key as a "
                    + "column named id (for example SELECT ORDER_NO AS \"id\", ...); columns are " + seen);
        }
        return new RowDocuments(List.copyOf(columns), keyColumn, keyType);
    }

    private static Map<String, String> canonical(List<String> names) {
        Map<String, String> map = new TreeMap<>();
        names.forEach(n -> map.put(n.toLowerCase(Locale.ROOT), n));
        return map;
    }

    /** The current row as a key and a document. A row whose key is NULL is refused (it could never be claimed). */
    public LegacyRow read(ResultSet rs) throws SQLException {
        String key = text(rs, keyColumn, keyType);
        if (key == null) {
            throw new SQLException("gateway.poller.select returned a row whose id is NULL; every row needs a key");
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ObjectNode template = JsonNodeFactory.instance.objectNode();
        for (Column column : columns) {
            put(rs, column, column.parent() == null ? document : template);
        }
        if (!template.isEmpty()) {
            JsonNode whole = document.get(TEMPLATE);
            if (whole instanceof ObjectNode given) {
                given.setAll(template);
            } else {
                document.set(TEMPLATE, template);
            }
        }
        return new LegacyRow(key, keyType, document);
    }

    /** Puts one column's value into {@code target}, unless it is NULL (an absent field). */
    private static void put(ResultSet rs, Column column, ObjectNode target) throws SQLException {
        String name = column.name();
        switch (column.type()) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                long value = rs.getLong(column.index());
                if (rs.wasNull()) {
                    return;
                }
                target.set(name, integral(BigInteger.valueOf(value)));
            }
            case Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                BigDecimal value = rs.getBigDecimal(column.index());
                if (value == null) {
                    return;
                }
                BigDecimal plain = value.stripTrailingZeros();
                if (plain.scale() <= 0) {
                    target.set(name, integral(plain.toBigIntegerExact()));
                } else {
                    target.set(name, DoubleNode.valueOf(Double.parseDouble(plain.toString())));
                }
            }
            case Types.BOOLEAN, Types.BIT -> {
                boolean value = rs.getBoolean(column.index());
                if (rs.wasNull()) {
                    return;
                }
                target.put(name, value);
            }
            default -> {
                String value = text(rs, column.index(), column.type());
                if (value == null) {
                    return;
                }
                if (column.parent() == null && name.equals(TEMPLATE) && value.strip().startsWith("{")) {
                    target.set(name, templateObject(value));
                } else {
                    target.put(name, value);
                }
            }
        }
    }

    /** A whole number as a JSON parser reads its digits: an int, a long, or a big integer, whichever holds it. */
    private static JsonNode integral(BigInteger value) {
        if (value.bitLength() < Integer.SIZE) {
            return IntNode.valueOf(value.intValue());
        }
        return value.bitLength() < Long.SIZE ? LongNode.valueOf(value.longValue()) : BigIntegerNode.valueOf(value);
    }

    /** A {@code template} column may hold the template as JSON text; if it does not parse, the text goes on as it is. */
    private static JsonNode templateObject(String value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            return JsonNodeFactory.instance.textNode(value);
        }
    }

    /** A column as text; a CHAR column loses the spaces that pad it to its width (they are not content). */
    private static String text(ResultSet rs, int index, int type) throws SQLException {
        Object value = rs.getObject(index);
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal number) {
            return number.stripTrailingZeros().toPlainString();
        }
        String text = value instanceof java.sql.Clob ? rs.getString(index) : String.valueOf(value);
        if (type == Types.CHAR || type == Types.NCHAR) {
            text = text.stripTrailing();
        }
        return text;
    }

    private record Column(int index, String parent, String name, int type) {
    }
}
