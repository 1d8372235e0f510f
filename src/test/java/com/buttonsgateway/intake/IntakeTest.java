package com.buttonsgateway.intake;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.buttonsgateway.dispatch.ResultFiles;
import com.buttonsgateway.request.Problem;
import com.buttonsgateway.request.RequestDocument;
import com.buttonsgateway.request.RequestValidator;
import com.buttonsgateway.store.MessageStore;
import com.buttonsgateway.store.Status;
import com.buttonsgateway.store.StoreException;
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
 * The accept step without Camel (SPEC 3, 4): a real store on in-memory H2, documents handed in as the intakes hand
 * them (the route's body, a stream, the items a mail or a row parsed itself).
 */
class IntakeTest {

    private static final RequestDocument.Limits LIMITS = new RequestDocument.Limits(2_000, 5);
    private static final String OK = "\"to\": \"972501234567\", \"body\": \"b\", \"button1\": \"OK\"";

    private final ObjectMapper mapper = new ObjectMapper();
    private HikariDataSource dataSource;
    private MessageStore store;
    private Path results;

    @BeforeEach
    void setUp() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:intake-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new MessageStore(dataSource, Clock.systemUTC());
        results = Files.createTempDirectory(Path.of("target"), "intake-").resolve("results");
    }

    @AfterEach
    void tearDown() {
        store.close();
        dataSource.close();
    }

    private Intake intake(Function<Object, InputStream> streams) {
        return new Intake(new RequestValidator("972771234567", ""), store, new ResultFiles(mapper, results, results.resolveSibling("dead")),
                mapper, LIMITS, streams);
    }

    private Intake intake() {
        return intake(document -> null);
    }

    private static List<String> ids(AcceptResult result) {
        return result.items().stream().map(AcceptResult.ItemResult::id).toList();
    }

    private static List<Status> statuses(AcceptResult result) {
        return result.items().stream().map(AcceptResult.ItemResult::status).toList();
    }

    @Test
    void theRoutesEntryTakesTextAndNamesTheCallersRouteWhenNoSourceIsGiven() {
        AcceptResult result = intake().accept("[{\"id\": \"a-1\", " + OK + "}, {" + OK + "}]", null, null, "intake-partner");

        assertThat(result.source()).isEqualTo("route:intake-partner");
        assertThat(statuses(result)).containsExactly(Status.QUEUED, Status.QUEUED);
        assertThat(result.items().get(1).id()).as("derived from the source, SPEC 3").startsWith("route_intake-partner-1-");
        assertThat(result.httpStatus()).isEqualTo(202);
        assertThat(store.find("a-1").orElseThrow().source()).isEqualTo("route:intake-partner");
        assertThat(store.find("a-1").orElseThrow().status()).isEqualTo(Status.QUEUED);
    }

    @Test
    void aStreamIsReadOneBytePastTheLimitAtMostAndRefusedNamingTheLimit() {
        CountingStream endless = new CountingStream();

        AcceptResult result = intake().accept(endless, "http", "http", "api-messages");

        assertThat(endless.read).isEqualTo(LIMITS.maxBytes() + 1);
        assertThat(endless.closed).isTrue();
        assertThat(result.documentProblems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo("too-large");
            assertThat(p.message()).contains("gateway.inbox.max-file-bytes");
        });
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(store.countByStatus()).isEmpty();
    }

    @Test
    void anyOtherBodyIsOpenedByTheRuntimesConvertersOrRefusedNamingItsType() {
        ByteBuffer body = ByteBuffer.wrap(("{\"id\": \"buffer-1\", " + OK + "}").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> intake().accept(body, "http", "http", "api-messages"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(body.getClass().getName());
        AcceptResult opened = intake(document -> new ByteArrayInputStream(((ByteBuffer) document).array()))
                .accept(body, "http", "http", "api-messages");

        assertThat(ids(opened)).containsExactly("buffer-1");
        assertThat(intake().accept(null, "http", "http", "api-messages").documentProblems())
                .extracting(Problem::rule).containsExactly("empty");
    }

    @Test
    void theSameIdAgainIsADuplicateReportedBesideTheOriginalWhichStaysAsItWas() {
        String one = "{\"id\": \"dup-1\", " + OK + "}";
        assertThat(statuses(intake().accept(one.getBytes(StandardCharsets.UTF_8), "file:a.json", "a"))).containsExactly(Status.QUEUED);

        AcceptResult again = intake().accept(one, "http", "http", "api-messages");

        assertThat(statuses(again)).containsExactly(Status.DUPLICATE);
        assertThat(again.httpStatus()).as("a duplicate counts as accepted, SPEC 4.4").isEqualTo(202);
        assertThat(again.answer().get(0).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(results.resolve("dup-1.duplicate.json")).exists();
        assertThat(results.resolve("dup-1.json")).doesNotExist();
        assertThat(store.find("dup-1").orElseThrow().source()).isEqualTo("file:a.json");
    }

    @Test
    void aBatchStoresItsValidItemsKeepsTheInvalidOnesAsGivenAndSchedulesOneWhoseTimeIsAhead() {
        String later = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        AcceptResult result = intake().accept("[{\"id\": \"now-1\", " + OK + "}, {\"to\": \"12\", \"body\": \"b\"}, "
                + "{\"id\": \"later-1\", " + OK + ", \"sendAt\": \"" + later + "\"}]", "http", "http", "api-messages");

        assertThat(statuses(result)).containsExactly(Status.QUEUED, Status.REJECTED, Status.SCHEDULED);
        assertThat(result.items().get(1).problems()).extracting(Problem::field).contains("to", "button1");
        assertThat(result.invalidItems()).singleElement().hasToString("{\"to\":\"12\",\"body\":\"b\"}");
        assertThat(result.httpStatus()).isEqualTo(207);
        assertThat(result.partlyInvalid()).isTrue();
        assertThat(result.answer().get(1).path("status").asText()).isEqualTo("REJECTED");
        assertThat(store.find("later-1").orElseThrow().status()).isEqualTo(Status.SCHEDULED);
        assertThat(store.find(result.items().get(1).id())).as("a rejected item is never stored").isEmpty();
    }

    /** SPEC 3, 4.2: a mail's items, parsed per attachment and handed on as parsed, get the ids of one joined document. */
    @Test
    void parsedItemsHandedOnGetTheIdsTheSameItemsGetInOneDocument() {
        String x = "{" + OK + ", \"footer\": \"x\"}";
        String y = "{" + OK + ", \"footer\": \"y\"}";
        String z = "{" + OK + ", \"footer\": \"z\"}";
        AcceptResult joined = intake().accept(("[" + x + ",\n " + y + ", " + z + "]").getBytes(StandardCharsets.UTF_8),
                "mail:<m-1@shop.test>", "m-1@shop.test");
        List<RequestDocument.Item> items = new ArrayList<>(RequestDocument.parse("[" + x + ", " + y + "]", LIMITS).items());
        items.add(RequestDocument.parse(z, LIMITS).items().get(0).at(2));

        AcceptResult handed = intake().acceptor().accept(items, "mail:<m-1@shop.test>", "m-1@shop.test");

        assertThat(ids(joined)).hasSize(3).allMatch(id -> id.startsWith("m-1_shop.test-"));
        assertThat(ids(handed)).isEqualTo(ids(joined));
        assertThat(statuses(handed)).containsOnly(Status.DUPLICATE);
        assertThat(results.resolve(ids(joined).get(2) + ".duplicate.json")).exists();
    }

    @Test
    void moreParsedItemsThanMaxItemsAreRefusedWholeAndNothingIsStored() {
        List<RequestDocument.Item> items = new ArrayList<>();
        for (int i = 0; i <= LIMITS.maxItems(); i++) {
            items.add(RequestDocument.parse("{\"id\": \"many-" + i + "\", " + OK + "}", LIMITS).items().get(0).at(i));
        }

        AcceptResult result = intake().acceptor().acceptAsync(items, "mail:<m-2@shop.test>", "m-2@shop.test").join();

        assertThat(result.items()).isEmpty();
        assertThat(result.documentProblems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo("too-many-items");
            assertThat(p.message()).contains("gateway.inbox.max-items");
        });
        assertThat(store.countByStatus()).isEmpty();
    }

    /** SPEC 4: the caller acknowledges its source only after the commit, so a store that fails must fail the call. */
    @Test
    void aStoreThatCannotBeWrittenFailsTheCall() {
        dataSource.close();

        assertThatThrownBy(() -> intake().accept("{\"id\": \"lost-1\", " + OK + "}", "http", "http", "api-messages"))
                .isInstanceOf(StoreException.class);
    }

    /** An endless stream of spaces that counts what was read from it. */
    private static final class CountingStream extends InputStream {
        long read;
        boolean closed;

        @Override
        public int read() {
            read++;
            return ' ';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) ' ');
            read += len;
            return len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
