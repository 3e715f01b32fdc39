package io.syncline.store;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Upsert} on both state stores: a row is inserted, then updated; and on PostgreSQL a writer
 * that inserts the same key while the upsert runs (its insert waiting for that writer's
 * transaction) leaves the upsert's transaction whole, with the upsert's values.
 */
class UpsertTest {

    private static final String H2 = "jdbc:h2:mem:upsert-test;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000";
    private static final Upsert MARK = Upsert.of("upsert_test", List.of("job", "part"), List.of("mark"));

    private static Connection connect(String store) throws SQLException {
        return store.equals("h2") ? DriverManager.getConnection(H2) : TestDatabase.connect();
    }

    private static void table(String store) throws SQLException {
        try (Connection connection = connect(store); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS upsert_test");
            statement.execute("CREATE TABLE upsert_test (job VARCHAR(20), part VARCHAR(20), mark VARCHAR(20), PRIMARY KEY (job, part))");
        }
    }

    private static Upsert.Row row(String job, String part, String mark) {
        return new Upsert.Row(Sql.params().text(job, part), Sql.params().text(mark));
    }

    private static List<String> marks(String store) throws SQLException {
        try (Connection connection = connect(store)) {
            return Sql.list(connection, "SELECT job || '/' || part || '=' || mark FROM upsert_test ORDER BY job, part", Sql.NONE,
                    rows -> rows.getString(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aMissingRowIsInsertedAndAnExistingOneUpdated(String store) throws SQLException {
        table(store);
        try (Connection connection = connect(store)) {
            MARK.write(connection, List.of(row("a", "1", "first"), row("a", "2", "first")));
            connection.setAutoCommit(false);
            MARK.write(connection, List.of(row("a", "2", "second"), row("b", "1", "second")));
            connection.commit();
        }
        assertThat(marks(store)).containsExactly("a/1=first", "a/2=second", "b/1=second");
    }

    /** Replicas race on PostgreSQL; the embedded store serves one process (it fails such an insert at once, without waiting). */
    @Test
    void aRowAnotherWriterInsertsMeanwhileIsUpdatedInTheSameTransaction() throws Exception {
        String store = "postgresql";
        table(store);
        try (Connection other = connect(store); Connection ours = connect(store)) {
            other.setAutoCommit(false);
            Sql.update(other, "INSERT INTO upsert_test (job, part, mark) VALUES ('a', '1', 'theirs')", Sql.NONE);
            ours.setAutoCommit(false);
            Sql.update(ours, "INSERT INTO upsert_test (job, part, mark) VALUES ('z', '1', 'before')", Sql.NONE);
            // our update finds no row; our insert waits for the other writer's transaction
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    MARK.write(ours, row("a", "1", "ours"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting(other));
            other.commit();
            written.get(20, TimeUnit.SECONDS);
            ours.commit();
        }
        assertThat(marks(store)).containsExactly("a/1=ours", "z/1=before");
    }

    /** Whether a session of the database waits for a lock (our insert, for the other writer's row). */
    private static boolean waiting(Connection other) throws SQLException {
        return Sql.count(other, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                Sql.NONE) > 0;
    }
}
