package com.buttonsgateway.intake.poller;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamedSqlTest {

    @Test
    void namedParametersBecomePlaceholdersInOrderAndMayRepeat() {
        NamedSql sql = NamedSql.parse("gateway.poller.write-back",
                "UPDATE T SET STATUS = CASE :#status WHEN 'SENT' THEN 'S' ELSE 'X' END, RESULT = :#status, U = :#unique "
                        + "WHERE ID = :#id", NamedSql.PARAMETERS);
        assertThat(sql.jdbc()).isEqualTo("UPDATE T SET STATUS = CASE ? WHEN 'SENT' THEN 'S' ELSE 'X' END, RESULT = ?, U = ? WHERE ID = ?");
        assertThat(sql.names()).containsExactly("status", "status", "unique", "id");
    }

    @Test
    void quotedTextIdentifiersCommentsAndCastsAreLeftAlone() {
        NamedSql sql = NamedSql.parse("k", "SELECT ':#id' AS \"a:#b\", `x:#y`, n::text, 'it''s :#id' -- :#id\n"
                + "FROM t /* :#reason */ WHERE id = :#id", NamedSql.PARAMETERS);
        assertThat(sql.names()).containsExactly("id");
        assertThat(sql.jdbc()).isEqualTo("SELECT ':#id' AS \"a:#b\", `x:#y`, n::text, 'it''s :#id' -- :#id\n"
                + "FROM t /* :#reason */ WHERE id = ?");
    }

    @Test
    void unknownParameterIsRefusedNamingTheKeyAndTheKnownOnes() {
        assertThatThrownBy(() -> NamedSql.parse("gateway.poller.claim", "UPDATE T SET S = 'P' WHERE ID = :#rowid", NamedSql.PARAMETERS))
                .hasMessageContaining("gateway.poller.claim").hasMessageContaining(":#rowid")
                .hasMessageContaining(":#id, :#reason, :#status, :#unique");
        assertThatThrownBy(() -> NamedSql.parse("gateway.poller.select", "SELECT * FROM T WHERE A = :#id", Set.of()))
                .hasMessageContaining("gateway.poller.select").hasMessageContaining("takes no parameters");
        assertThatThrownBy(() -> NamedSql.parse("gateway.poller.claim", "UPDATE T SET A = :# WHERE B = 1", NamedSql.PARAMETERS))
                .hasMessageContaining("must be followed by a parameter name");
        assertThatThrownBy(() -> NamedSql.parse("gateway.poller.claim", "  ", NamedSql.PARAMETERS))
                .hasMessage("configuration key gateway.poller.claim must be set");
    }

    @Test
    void noParametersIsFine() {
        assertThat(NamedSql.parse("k", "SELECT 1", Set.of()).names()).isEqualTo(List.of());
    }
}
