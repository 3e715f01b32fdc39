package io.syncline.write;

import io.agroal.api.AgroalDataSource;
import io.syncline.model.FieldMapping;
import io.syncline.model.JdbcSystem;
import io.syncline.model.SystemMapping;
import io.syncline.reconcile.pull.JdbcKeysetPuller;
import io.syncline.reconcile.pull.PullException;
import io.syncline.reconcile.pull.PullRequest;
import io.syncline.reconcile.pull.PullResult;
import io.syncline.reconcile.pull.Watermark;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC system's changes, read by {@link JdbcKeysetPuller}, after a watermark (ability READ_CHANGES), on PostgreSQL and MariaDB:
 * in modification-time order, records of one instant by key, each page after the last row of the
 * one before, so that records sharing an instant across a page boundary are neither skipped nor
 * read twice; a record without a modification time is not read.
 */
class JdbcChangesPullTest {

    private static final String TABLE = "changes_probe";
    private static final SystemMapping MAPPING = new SystemMapping("id", TABLE, null, null, null,
            List.of(new FieldMapping("id", "id", null, null, null), new FieldMapping("updatedAt", "changed_at", null, null, null)),
            null);

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

    private static List<List<String>> ids(JdbcKeysetPuller puller, Watermark after) throws PullException {
        List<List<String>> pages = new ArrayList<>();
        PullRequest request = new PullRequest("member", "ledger", new JdbcSystem("ledger", null, null, null), MAPPING, 2, null,
                new PullRequest.Changes("changed_at", after));
        PullResult result = puller.pull(request, page -> pages.add(page.stream().map(row -> String.valueOf(row.get("id"))).toList()));
        assertThat(result.reachedEnd()).isTrue();
        assertThat(result.records()).isEqualTo(pages.stream().mapToInt(List::size).sum());
        return pages;
    }
}
