package io.syncline.connector.jdbc;

import io.agroal.api.AgroalDataSource;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.Watermark;
import io.syncline.model.FieldMapping;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC system's changes, read by {@link JdbcKeysetPuller}, after a watermark (ability READ_CHANGES), on PostgreSQL and MariaDB:
 * in modification-time order, records of one instant by key, each page after the last row of the
 * one before, so that records sharing an instant across a page boundary are neither skipped nor
 * read twice; a record without a modification time is not read. A key kept as text (a watermark,
 * a backfill's checkpoint, the ID map's ids) finds its rows whether the key column is text,
 * {@code bigint} or {@code uuid}.
 */
class JdbcChangesPullTest {

    private static final String TABLE = "changes_probe";
    private static final SystemMapping MAPPING = SystemMapping.of("id",
            List.of(new FieldMapping("id", "id", null, null, null), new FieldMapping("updatedAt", "changed_at", null, null, null)),
            null, Map.of("table", TABLE));

    record Server(String name, String url, String user, String password, String timestampType) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> servers() {
        MariaDbTestDatabase.ensure();
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        return Stream.of(
                Arguments.of(new Server("PostgreSQL", TestDatabase.url(), TestDatabase.user(), TestDatabase.password(),
                        "TIMESTAMP WITH TIME ZONE")),
                Arguments.of(new Server("MariaDB", MariaDbTestDatabase.url(), MariaDbTestDatabase.user(),
                        MariaDbTestDatabase.password(), "DATETIME(3)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void changesAfterAWatermarkComeInTimeThenKeyOrderAcrossPages(Server server) throws Exception {
        try (AgroalDataSource pool = JdbcPools.open(server.url(), server.user(), server.password())) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + TABLE);
                statement.execute("CREATE TABLE " + TABLE + " (id VARCHAR(64) PRIMARY KEY, changed_at " + server.timestampType() + " NULL)");
                statement.execute("INSERT INTO " + TABLE + " (id, changed_at) VALUES"
                        + " ('a', '2024-03-01 10:00:00'), ('b', '2024-03-01 11:00:00'), ('c', '2024-03-01 11:00:00'),"
                        + " ('d', '2024-03-01 11:00:00'), ('e', '2024-03-01 12:00:00'), ('f', NULL)");
            }
            JdbcKeysetPuller puller = new JdbcKeysetPuller(system -> pool.getConnection());

            assertThat(ids(puller, null)).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
            // after b at 11:00: c and d changed at the same instant, then e
            assertThat(ids(puller, new Watermark(Instant.parse("2024-03-01T11:00:00Z"), "b")))
                    .containsExactly(List.of("c", "d"), List.of("e"));
            assertThat(ids(puller, new Watermark(Instant.parse("2024-03-01T12:00:00Z"), "e"))).isEmpty();
        }
    }

    static Stream<Arguments> serversAndKeyTypes() {
        return servers().flatMap(server -> Stream.of("BIGINT", "UUID", "VARCHAR(64)")
                .map(type -> Arguments.of(server.get()[0], type)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serversAndKeyTypes")
    void aKeyKeptAsTextFindsItsRowsWhateverTheKeyColumnsType(Server server, String keyType) throws Exception {
        // five keys in key order, as the column orders them: numbers whose text order differs, uuids, text
        List<String> keys = switch (keyType) {
            case "BIGINT" -> List.of("9", "10", "3000000000", "3000000007", "30000000000");
            case "UUID" -> List.of("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
                    "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004",
                    "00000000-0000-0000-0000-000000000005");
            default -> List.of("a", "b", "c", "d", "e");
        };
        try (AgroalDataSource pool = JdbcPools.open(server.url(), server.user(), server.password())) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + TABLE);
                statement.execute("CREATE TABLE " + TABLE + " (id " + keyType + " PRIMARY KEY, changed_at " + server.timestampType()
                        + " NULL)");
                // the first at 10:00, the other four sharing 11:00
                for (int i = 0; i < keys.size(); i++) {
                    statement.execute("INSERT INTO " + TABLE + " (id, changed_at) VALUES ('" + keys.get(i) + "', '2024-03-01 "
                            + (i == 0 ? "10" : "11") + ":00:00')");
                }
            }
            JdbcKeysetPuller puller = new JdbcKeysetPuller(system -> pool.getConnection());

            // a poll's watermark as stored: the tie's second record, its key as text
            assertThat(ids(puller, new Watermark(Instant.parse("2024-03-01T11:00:00Z"), keys.get(2))))
                    .containsExactly(keys.subList(3, 5));
            // a backfill resumed after a checkpoint kept as text
            List<String> resumed = new ArrayList<>();
            puller.pull(new PullRequest("member", "ledger", SystemDefinition.ofSettings(JdbcSettings.TYPE, new JdbcSettings("ledger", null, null, null)),
                    MAPPING, 10, null, null,
                    keys.get(1)), page -> page.forEach(row -> resumed.add(String.valueOf(row.get("id")))));
            assertThat(resumed).containsExactlyElementsOf(keys.subList(2, 5));
            // a pull by the ID map's ids, as a reconciliation asks
            List<String> found = new ArrayList<>();
            puller.pull(new PullRequest("member", "ledger", SystemDefinition.ofSettings(JdbcSettings.TYPE, new JdbcSettings("ledger", null, null, null)),
                    MAPPING, 10,
                    List.of(keys.get(0), keys.get(4))), page -> page.forEach(row -> found.add(String.valueOf(row.get("id")))));
            assertThat(found).containsExactly(keys.get(0), keys.get(4));
        }
    }

    private static List<List<String>> ids(JdbcKeysetPuller puller, Watermark after) throws PullException {
        List<List<String>> pages = new ArrayList<>();
        PullRequest request = new PullRequest("member", "ledger", SystemDefinition.ofSettings(JdbcSettings.TYPE, new JdbcSettings("ledger", null, null, null)),
                MAPPING, 2, null,
                new PullRequest.Changes("changed_at", after));
        PullResult result = puller.pull(request, page -> pages.add(page.stream().map(row -> String.valueOf(row.get("id"))).toList()));
        assertThat(result.reachedEnd()).isTrue();
        assertThat(result.records()).isEqualTo(pages.stream().mapToInt(List::size).sum());
        return pages;
    }
}
