package com.buttonsgateway.flow;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.h2.api.Trigger;

/**
 * The one fault no real source makes on demand (STYLE 5): the gateway's H2 store refusing the messages of a chosen
 * source, as a store that is down would, whichever intake hands them in. An H2 trigger on {@code gw_message}; H2 builds
 * the trigger itself, hence the static registry of sources it refuses and of the tries it refused.
 */
public final class StoreDown implements Trigger {

    private static final Map<String, AtomicInteger> REFUSED = new ConcurrentHashMap<>();

    /** Installs the trigger in the gateway's store (once per database). */
    public static void install(DataSource store) throws SQLException {
        try (Connection c = store.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER IF NOT EXISTS test_store_down BEFORE INSERT ON gw_message FOR EACH ROW CALL \""
                    + StoreDown.class.getName() + "\"");
        }
    }

    /** From now on the store refuses every message whose source is {@code source}. */
    public static void downFor(String source) {
        REFUSED.putIfAbsent(source, new AtomicInteger());
    }

    /** The store takes that source's messages again. */
    public static void backFor(String source) {
        REFUSED.remove(source);
    }

    /** How many inserts of that source the store refused while it was down for it. */
    public static int tries(String source) {
        AtomicInteger n = REFUSED.get(source);
        return n == null ? 0 : n.get();
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        AtomicInteger refused = newRow == null ? null : REFUSED.get(String.valueOf(newRow[2])); // seq, id, source, ...
        if (refused != null) {
            refused.incrementAndGet();
            throw new SQLException("the store is down (test)", "08006");
        }
    }
}
