package io.syncline.store;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Held-back rows sent as multi-row statements, on the real PostgreSQL: an upsert by {@code MERGE}
 * and plain inserts for more rows than one statement takes, rows that must be new, and values
 * taken when a row is written.
 */
class DeferredWritesTest {

    private static final String UPSERT = "MERGE INTO deferred_writes_test t USING (VALUES (CAST(? AS INTEGER), ?,"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s (id, note, at) ON t.id = s.id"
            + " WHEN MATCHED THEN UPDATE SET note = s.note, at = s.at"
            + " WHEN NOT MATCHED THEN INSERT (id, note, at) VALUES (s.id, s.note, s.at)";
    private static final String INSERT_NEW = "INSERT INTO deferred_writes_test (id, note) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    /** A database of its own: a plain table in the shared one, made before Flyway ran, would stop Flyway. */
    private static final String URL = TestDatabase.siblingUrl("_store");

    @BeforeAll
    static void table() throws SQLException {
        TestDatabase.ensureDatabase(URL, false);
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS deferred_writes_test"
                    + " (id INTEGER PRIMARY KEY, note TEXT NOT NULL, at TIMESTAMP WITH TIME ZONE)");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM deferred_writes_test");
        }
    }

    private static List<Map<String, Object>> committed(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(URL)) {
            return TestDatabase.rows(connection, sql);
        }
    }

    private static Writes.Row upsert(int id, String note) {
        return row -> {
            row.setInt(1, id);
            row.setString(2, note);
            row.setTimestamp(3, Timestamp.from(AT.plusSeconds(id)));
        };
    }

    private static Writes.Row insert(int id, String note) {
        return row -> {
            row.setInt(1, id);
            row.setString(2, note);
        };
    }

    @Test
    void moreRowsThanOneStatementTakesAreAllUpsertedWithTheirOwnValues() throws SQLException {
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO deferred_writes_test (id, note) VALUES (5, 'before'), (140, 'before')");
        }
        int rows = 2 * RowsStatement.MAX_ROWS + 17;
        try (Connection connection = TestDatabase.connect(URL); DeferredWrites writes = new DeferredWrites(connection)) {
            connection.setAutoCommit(false);
            writes.write(UPSERT, IntStream.range(0, rows - 1).mapToObj(id -> upsert(id, "row " + id)).toArray(Writes.Row[]::new));
            writes.write(UPSERT, upsert(rows - 1, "the last row, written on its own"));
            writes.flush();
            connection.commit();
        }

        List<Map<String, Object>> saved = committed("SELECT id, note, at FROM deferred_writes_test ORDER BY id");
        assertThat(saved).hasSize(rows);
        assertThat(saved.get(5)).containsEntry("note", "row 5");
        assertThat(saved.get(140)).containsEntry("note", "row 140");
        assertThat(saved.get(rows - 1)).containsEntry("note", "the last row, written on its own");
        for (Map<String, Object> row : saved) {
            int id = (Integer) row.get("id");
            assertThat(((Timestamp) row.get("at")).toInstant()).as("row %d's own timestamp", id).isEqualTo(AT.plusSeconds(id));
        }
    }

    @Test
    void aRowKeepsTheValuesItWasWrittenWith() throws SQLException {
        AtomicReference<String> note = new AtomicReference<>("as written");
        try (Connection connection = TestDatabase.connect(URL); DeferredWrites writes = new DeferredWrites(connection)) {
            writes.write(INSERT_NEW, row -> {
                row.setInt(1, 1);
                row.setString(2, note.get());
            });
            note.set("changed after the write");
            writes.flush();
        }
        assertThat(committed("SELECT note FROM deferred_writes_test")).containsExactly(Map.of("note", "as written"));
    }

    @Test
    void rowsThatMustBeNewFailTheFlushWhenOneOfTheirStatementExists() throws SQLException {
        int existing = RowsStatement.MAX_ROWS + 6;
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO deferred_writes_test (id, note) VALUES (" + existing + ", 'an earlier event')");
        }
        try (Connection connection = TestDatabase.connect(URL); DeferredWrites writes = new DeferredWrites(connection)) {
            connection.setAutoCommit(false);
            for (int id = 0; id < RowsStatement.MAX_ROWS + 8; id++) {
                writes.writeNew(INSERT_NEW, "key " + id, insert(id, "new"));
            }
            assertThatThrownBy(writes::flush).isInstanceOf(RowExistsException.class)
                    .hasMessage("1 of 8 rows that had to be new exist already: key 64; key 65; key 66; key 67; key 68;"
                            + " key 69; key 70; key 71")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
            connection.rollback();
        }
        assertThat(committed("SELECT note FROM deferred_writes_test")).containsExactly(Map.of("note", "an earlier event"));
    }

    @Test
    void rowsThatMayExistAreNotCountedAgainstRowsOfTheSameSqlThatMustBeNew() throws SQLException {
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO deferred_writes_test (id, note) VALUES (1, 'an earlier event')");
        }
        try (Connection connection = TestDatabase.connect(URL); DeferredWrites writes = new DeferredWrites(connection)) {
            writes.write(INSERT_NEW, insert(1, "exists: inserts nothing"), insert(2, "may exist"));
            writes.writeNew(INSERT_NEW, "key 3", insert(3, "must be new"));
            writes.flush();
        }
        assertThat(committed("SELECT id, note FROM deferred_writes_test ORDER BY id")).containsExactly(
                Map.of("id", 1, "note", "an earlier event"), Map.of("id", 2, "note", "may exist"),
                Map.of("id", 3, "note", "must be new"));
    }

    @Test
    void aStatementIsRepeatedRowGroupByRowGroup() {
        RowsStatement statement = RowsStatement.of(UPSERT);
        assertThat(statement.width()).isEqualTo(3);
        assertThat(statement.sql(1)).isEqualTo(UPSERT);
        assertThat(RowsStatement.of(INSERT_NEW).sql(3)).isEqualTo(
                "INSERT INTO deferred_writes_test (id, note) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING");
        assertThat(statement.sql(2)).contains("VALUES (CAST(? AS INTEGER), ?, CAST(? AS TIMESTAMP WITH TIME ZONE)),"
                + " (CAST(? AS INTEGER), ?, CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s");
    }

    @Test
    void aStatementWithoutARowGroupIsRefusedByName() {
        assertThatThrownBy(() -> RowsStatement.of("DELETE FROM deferred_writes_test WHERE id = ?"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DELETE FROM deferred_writes_test");
    }
}
