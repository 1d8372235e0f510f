package com.buttonsgateway.intake.poller;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;

import com.buttonsgateway.request.RequestDocument;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowDocumentsTest {

    @Test
    void aliasesOfAnyCaseBecomeFieldsNullsAreAbsentCharsLoseTheirPaddingNumbersStayNumbers() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:rows1"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE OUTBOX (MSG_ID NUMERIC(10) PRIMARY KEY, PHONE VARCHAR(20), TXT VARCHAR(100), "
                    + "BTN CHAR(10), HDR SMALLINT, FOOT VARCHAR(10), TPL VARCHAR(20), SHOW_REQ BOOLEAN)");
            st.execute("INSERT INTO OUTBOX VALUES (42, '+972 50-123 4567', 'Hello', 'Yes', 1, NULL, 'order_ready', TRUE)");
            try (ResultSet rs = st.executeQuery("SELECT MSG_ID AS ID, PHONE AS \"TO\", TXT AS body, BTN AS Button1, HDR AS HEADER, "
                    + "FOOT AS footer, TPL AS \"template.NAME\", SHOW_REQ AS showrequest FROM OUTBOX")) {
                RowDocuments documents = RowDocuments.of(rs.getMetaData());
                rs.next();
                LegacyRow row = documents.read(rs);
                assertThat(row.key()).isEqualTo("42");
                assertThat(row.keyType()).isEqualTo(Types.NUMERIC);
                assertThat(row.source()).isEqualTo("db:42");
                JsonNode doc = row.document();
                assertThat(doc.path("to").asText()).isEqualTo("+972 50-123 4567");
                assertThat(doc.path("body").asText()).isEqualTo("Hello");
                assertThat(doc.path("button1").asText()).isEqualTo("Yes");
                assertThat(doc.path("header").isNumber()).isTrue();
                assertThat(doc.has("footer")).isFalse();
                assertThat(doc.path("template").path("name").asText()).isEqualTo("order_ready");
                assertThat(doc.path("showRequest").asBoolean()).isTrue();
                assertThat(doc.has("id")).isFalse();
            }
        }
    }

    @Test
    void aSelectWithoutAnIdColumnIsRefusedNamingTheKey() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:rows2"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 'x' AS \"to\"")) {
            assertThatThrownBy(() -> RowDocuments.of(rs.getMetaData()))
                    .hasMessageContaining("gateway.poller.select").hasMessageContaining("column named id");
        }
    }

    @Test
    void aTemplateColumnMayHoldJson() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:rows3"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 7 AS \"id\", '{\"name\": \"t1\", \"bodyVariable1\": \"A\"}' AS \"template\"")) {
            RowDocuments documents = RowDocuments.of(rs.getMetaData());
            rs.next();
            JsonNode doc = documents.read(rs).document();
            assertThat(doc.path("template").path("bodyVariable1").asText()).isEqualTo("A");
        }
    }

    /**
     * The row's document goes to the accept step as a tree (never as text parsed again), so it must be the tree its
     * text parses to: the same item text, hence the same derived id (SPEC 3), as when rows were handed on as JSON text.
     */
    @Test
    void numbersAreTheNodesTheirJsonTextParsesToSoTheItemTextAndDerivedIdAreUnchanged() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:rows4"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 9 AS \"id\", CAST(972501234567 AS BIGINT) AS \"to\", CAST(2 AS BIGINT) AS \"header\", "
                     + "CAST(3 AS TINYINT) AS \"showRequest\", CAST(12345678901234567890123 AS NUMERIC(30)) AS \"button1_id\", "
                     + "CAST(1.50 AS DECIMAL(5, 2)) AS \"footer\", CAST(0.0000001 AS DECIMAL(12, 9)) AS \"button2_id\", "
                     + "CAST(42.000 AS DECIMAL(8, 3)) AS \"button3_id\", CAST(0.25 AS DOUBLE PRECISION) AS \"localStorage\"")) {
            RowDocuments documents = RowDocuments.of(rs.getMetaData());
            rs.next();
            JsonNode doc = documents.read(rs).document();
            RequestDocument.Parsed reparsed = RequestDocument.parse(doc.toString(), new RequestDocument.Limits(100_000, 10));
            JsonNode parsed = reparsed.items().get(0).json();
            doc.properties().forEach(field -> assertThat(field.getValue().getClass()).as(field.getKey())
                    .isEqualTo(parsed.get(field.getKey()).getClass()));
            assertThat(doc).isEqualTo(parsed);
            assertThat(RequestDocument.Item.of(0, doc).text()).isEqualTo(reparsed.items().get(0).text());
            assertThat(doc.path("button1_id").isBigInteger()).isTrue();
            assertThat(doc.path("button3_id").isInt()).isTrue();
            assertThat(doc.path("button2_id").isDouble()).isTrue();
        }
    }
}
