package com.buttonsgateway.intake.poller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import com.buttonsgateway.intake.Acceptor;
import com.buttonsgateway.intake.Intake;
import com.buttonsgateway.dispatch.ResultFiles;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.request.RequestValidator;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.StoreException;
import com.buttonsgateway.store.StoredMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The poller bean without Camel (SPEC 4.3): a legacy H2 table, the gateway's store on H2 and the real intake bean
 * behind the {@link Acceptor}; faults come from an acceptor that fails for a chosen row.
 */
class LegacyPollerTest {

    private static final String SELECT = "SELECT MSG_ID AS \"id\", PHONE AS \"to\", MSG_TEXT AS \"body\", BTN1 AS \"button1\" "
            + "FROM OUTBOX WHERE STATUS = 'N' ORDER BY MSG_ID LIMIT 10 FOR UPDATE SKIP LOCKED";
    private static final String CLAIM = "UPDATE OUTBOX SET STATUS = 'P', CLAIMS = CLAIMS + 1, CLAIM_STATUS = :#status WHERE MSG_ID = :#id";
    private static final String WRITE_BACK = "UPDATE OUTBOX SET STATUS = CASE :#status WHEN 'SENT' THEN 'S' WHEN 'REJECTED' THEN 'R' "
            + "WHEN 'DUPLICATE' THEN 'U' ELSE 'D' END, WA_UNIQUE = :#unique, WA_REASON = :#reason WHERE MSG_ID = :#id";

    private HikariDataSource legacy;
    private HikariDataSource gateway;
    private MessageStore store;
    private Intake intake;
    private WriteBackQueue queue;
    private final AtomicReference<String> failFor = new AtomicReference<>();

    @BeforeEach
    void setUp() throws Exception {
        String name = "poller" + System.nanoTime();
        legacy = pool("jdbc:h2:mem:legacy-" + name + ";DB_CLOSE_DELAY=-1");
        gateway = pool("jdbc:h2:mem:gateway-" + name + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(gateway).locations("classpath:db/migration").load().migrate();
        try (Connection c = legacy.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE OUTBOX (MSG_ID NUMERIC(10) PRIMARY KEY, PHONE VARCHAR(20), MSG_TEXT VARCHAR(500), BTN1 VARCHAR(30), "
                    + "STATUS CHAR(1) DEFAULT 'N' NOT NULL, CLAIMS INT DEFAULT 0 NOT NULL, CLAIM_STATUS VARCHAR(16), "
                    + "WA_UNIQUE VARCHAR(64), WA_REASON VARCHAR(2000))");
        }
        Clock clock = Clock.systemUTC();
        store = new MessageStore(gateway, clock);
        Path dir = Files.createTempDirectory(Path.of("target"), "poller-");
        ObjectMapper mapper = new ObjectMapper();
        intake = new Intake(new RequestValidator("972771234567", "972"), store,
                new ResultFiles(mapper, dir.resolve("results"), dir.resolve("dead")), mapper, new RequestDocument.Limits(1_000_000, 100));
        queue = new WriteBackQueue(gateway, clock);
    }

    @AfterEach
    void tearDown() {
        legacy.close();
        gateway.close();
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(6);
        return new HikariDataSource(config);
    }

    private LegacyPoller poller() {
        Acceptor acceptor = (items, source, sourceName) -> {
            if (source.equals(failFor.get())) {
                throw new StoreException("the store is down (test)", new SQLException("down"));
            }
            return intake.acceptor().accept(items, source, sourceName);
        };
        return new LegacyPoller(legacy, NamedSql.parse("select", SELECT, Set.of()), NamedSql.parse("claim", CLAIM, NamedSql.PARAMETERS),
                NamedSql.parse("write-back", WRITE_BACK, NamedSql.PARAMETERS), acceptor, queue,
                id -> store.find(id).map(StoredMessage::source));
    }

    private void insert(int id, String phone, String text) throws SQLException {
        try (Connection c = legacy.getConnection(); var ps = c.prepareStatement("INSERT INTO OUTBOX (MSG_ID, PHONE, MSG_TEXT, BTN1) VALUES (?, ?, ?, 'OK')")) {
            ps.setInt(1, id);
            ps.setString(2, phone);
            ps.setString(3, text);
            ps.executeUpdate();
        }
    }

    private String column(int id, String column) throws SQLException {
        try (Connection c = legacy.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + column + " FROM OUTBOX WHERE MSG_ID = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<StoredMessage> stored(String source) {
        return store.list(null, null, 1000).stream().filter(m -> m.source().equals(source)).toList();
    }

    @Test
    void validRowsAreStoredNormalisedAndClaimedAnInvalidOneIsWrittenBackRejectedWithItsProblems() throws Exception {
        insert(1, "+972 50-123 4567", "one");
        insert(2, "050 123 4568", "two");
        insert(3, "12", "");
        assertThat(poller().poll()).isEqualTo(3);

        assertThat(stored("db:1")).singleElement().satisfies(m -> {
            assertThat(m.contact()).isEqualTo("972501234567");
            assertThat(m.id()).startsWith("1-0-");
        });
        assertThat(stored("db:2")).singleElement().satisfies(m -> assertThat(m.contact()).isEqualTo("972501234568"));
        assertThat(column(1, "STATUS")).isEqualTo("P");
        assertThat(column(1, "CLAIM_STATUS")).isEqualTo("QUEUED");
        assertThat(column(3, "STATUS")).isEqualTo("R");
        assertThat(column(3, "CLAIM_STATUS")).isEqualTo("REJECTED");
        assertThat(column(3, "WA_REASON")).contains("to: ").contains("body: ");
        assertThat(stored("db:3")).isEmpty();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(poller().poll()).isZero();
        assertThat(column(3, "CLAIMS")).isEqualTo("1");
    }

    @Test
    void whenTheStoreFailsTheRowsBeforeStayTakenAndTheRestAreTakenByTheNextPoll() throws Exception {
        for (int id = 11; id <= 15; id++) {
            insert(id, "97250000001" + (id - 10), "row " + id);
        }
        failFor.set("db:13");
        assertThatThrownBy(() -> poller().poll()).hasMessageContaining("row db:13 was not stored and stays for the next poll");
        assertThat(column(11, "STATUS")).isEqualTo("P");
        assertThat(column(12, "STATUS")).isEqualTo("P");
        assertThat(column(13, "STATUS")).isEqualTo("N");
        assertThat(column(15, "STATUS")).isEqualTo("N");
        assertThat(stored("db:13")).isEmpty();

        // the items of all the poll's rows went to the store together: 14 and 15 were stored without their claims, so
        // the next poll takes 13 as new and recognises 14 and 15 as read again (stored once, claimed now)
        assertThat(stored("db:14")).hasSize(1);
        failFor.set(null);
        assertThat(poller().poll()).isEqualTo(1);
        for (int id = 11; id <= 15; id++) {
            assertThat(column(id, "CLAIMS")).isEqualTo("1");
            assertThat(stored("db:" + id)).hasSize(1);
        }
    }

    @Test
    void aRowStoredByAPollWhoseClaimWasLostIsClaimedAgainWithoutADuplicateWriteBack() throws Exception {
        insert(21, "972500000021", "stored before a crash");
        String document = "{\"to\":\"972500000021\",\"body\":\"stored before a crash\",\"button1\":\"OK\"}";
        String id = intake.accept(document.getBytes(), "db:21", "21").items().get(0).id();

        assertThat(poller().poll()).as("a row read again is not new").isZero();
        assertThat(column(21, "STATUS")).isEqualTo("P");
        assertThat(column(21, "CLAIM_STATUS")).isEqualTo("QUEUED");
        assertThat(column(21, "WA_REASON")).isNull();
        assertThat(stored("db:21")).singleElement().satisfies(m -> assertThat(m.id()).isEqualTo(id));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void anItemThatDuplicatesAnotherSourcesMessageIsWrittenBackAtOnce() throws Exception {
        // a file 31.json with the very item of row 31 was accepted first: the same derived id (SPEC 3)
        intake.accept("{\"to\":\"972500000031\",\"body\":\"x\",\"button1\":\"OK\"}".getBytes(), "file:31.json", "31");
        insert(31, "972500000031", "x");
        assertThat(poller().poll()).isEqualTo(1);
        assertThat(column(31, "STATUS")).isEqualTo("U");
        assertThat(column(31, "CLAIM_STATUS")).isEqualTo("DUPLICATE");
        assertThat(column(31, "WA_REASON")).matches("duplicate of message 31-0-[0-9a-f]{12} from file:31.json");
        assertThat(queue.size()).isZero();
    }

    @Test
    void finishedMessagesAreWrittenBackOnceWithTheirUniqueAndReason() throws Exception {
        insert(41, "972500000041", "to be sent");
        insert(42, "972500000042", "to die");
        poller().poll();
        StoredMessage sent = stored("db:41").get(0);
        StoredMessage dead = stored("db:42").get(0);
        try (Connection c = gateway.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE gw_message SET status = 'SENT', provider_unique = 'U41' WHERE id = '" + sent.id() + "'");
            st.execute("UPDATE gw_message SET status = 'DEAD', reason = 'reason 4: wrong number' WHERE id = '" + dead.id() + "'");
        }
        LegacyWriteBack writeBack = new LegacyWriteBack(legacy, NamedSql.parse("write-back", WRITE_BACK, NamedSql.PARAMETERS), queue);
        assertThat(writeBack.writeBack()).isEqualTo(2);
        assertThat(column(41, "STATUS")).isEqualTo("S");
        assertThat(column(41, "WA_UNIQUE")).isEqualTo("U41");
        assertThat(column(42, "STATUS")).isEqualTo("D");
        assertThat(column(42, "WA_REASON")).isEqualTo("reason 4: wrong number");
        assertThat(writeBack.writeBack()).isZero();
        assertThat(queue.size()).isZero();
    }

    @Test
    void pollersInParallelNeverTakeTheSameRow() throws Exception {
        try (Connection c = legacy.getConnection(); var ps = c.prepareStatement("INSERT INTO OUTBOX (MSG_ID, PHONE, MSG_TEXT, BTN1) VALUES (?, ?, ?, 'OK')")) {
            for (int id = 100; id < 300; id++) {
                ps.setInt(1, id);
                ps.setString(2, "9725010" + id);
                ps.setString(3, "parallel " + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> pollers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                LegacyPoller poller = poller();
                pollers.add(() -> {
                    int taken = 0;
                    for (int n = poller.poll(); n > 0; n = poller.poll()) {
                        taken += n;
                    }
                    return taken;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(pollers)) {
                total += f.get();
            }
            assertThat(total).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = legacy.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(CLAIMS), MAX(CLAIMS) FROM OUTBOX WHERE MSG_ID >= 100")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(200);
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.getInt(3)).isEqualTo(1);
        }
        assertThat(store.countByStatus().get(com.buttonsgateway.store.Status.QUEUED)).isEqualTo(200L);
    }

    @Test
    void aRowWhoseClaimAlwaysFailsNeverHoldsUpTheRowsAfterItAndIsSkippedAfterAFewTries() throws Exception {
        try (Connection c = legacy.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE OUTBOX ADD CONSTRAINT CK_NEVER_TAKEN CHECK (MSG_ID <> 51 OR STATUS = 'N')");
        }
        insert(51, "972500000051", "never claimed");
        insert(52, "972500000052", "after it");
        List<String> skippedSteps = new ArrayList<>();
        LegacyPoller poller = new LegacyPoller(legacy, NamedSql.parse("select", SELECT, Set.of()),
                NamedSql.parse("claim", CLAIM, NamedSql.PARAMETERS), NamedSql.parse("write-back", WRITE_BACK, NamedSql.PARAMETERS),
                intake.acceptor(),
                queue, id -> store.find(id).map(StoredMessage::source), skippedSteps::add);

        assertThat(poller.poll()).as("the row after the failing one is taken").isEqualTo(1);
        assertThat(column(52, "STATUS")).isEqualTo("P");
        assertThat(column(51, "STATUS")).isEqualTo("N");
        insert(53, "972500000053", "later");
        assertThat(poller.poll()).isEqualTo(1);
        assertThat(column(53, "STATUS")).isEqualTo("P");
        assertThat(skippedSteps).isEmpty();
        poller.poll();
        assertThat(skippedSteps).as("reported once, after the third try").containsExactly("gateway.poller.claim");
        assertThat(poller.poll()).isZero();
        assertThat(skippedSteps).hasSize(1);
        assertThat(column(51, "CLAIMS")).isEqualTo("0");
        assertThat(stored("db:51")).as("stored once, however often it was read").hasSize(1);
    }

    @Test
    void aWriteBackThatAlwaysFailsIsSkippedAfterAFewTriesAndTheOthersAreWritten() throws Exception {
        try (Connection c = legacy.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE OUTBOX ADD CONSTRAINT CK_NO_OUTCOME CHECK (MSG_ID <> 61 OR STATUS IN ('N', 'P'))");
        }
        insert(61, "972500000061", "outcome refused");
        insert(62, "972500000062", "outcome written");
        assertThat(poller().poll()).isEqualTo(2);
        try (Connection c = gateway.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE gw_message SET status = 'SENT', provider_unique = 'U' WHERE source IN ('db:61', 'db:62')");
        }
        List<String> skippedSteps = new ArrayList<>();
        LegacyWriteBack writeBack = new LegacyWriteBack(legacy, NamedSql.parse("write-back", WRITE_BACK, NamedSql.PARAMETERS), queue,
                skippedSteps::add);
        assertThat(writeBack.writeBack()).isEqualTo(1);
        assertThat(column(62, "STATUS")).isEqualTo("S");
        assertThat(writeBack.writeBack()).isZero();
        assertThat(skippedSteps).isEmpty();
        assertThat(writeBack.writeBack()).isZero();
        assertThat(skippedSteps).containsExactly("gateway.poller.write-back");
        assertThat(queue.due(10)).as("put back for later: nothing behind it waits").isEmpty();
        assertThat(queue.size()).as("still owed").isEqualTo(1);
        assertThat(column(61, "STATUS")).isEqualTo("P");
    }
}
