package io.syncline.sync;

import io.syncline.store.RowExistsException;
import io.syncline.store.Writes;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One transaction for several events, on the real PostgreSQL: what its units hold back is sent
 * before the commit and commits with it; a second unit of the same record sees what the first
 * held back; an aborted batch keeps nothing and takes no more units.
 */
class ApplyBatchTest {

    private static final String INSERT = "INSERT INTO apply_batch_test (id, note) VALUES (?, ?)";
    /** A database of its own: a plain table in the shared one, made before Flyway ran, would stop Flyway. */
    private static final String URL = TestDatabase.siblingUrl("_batch");

    @BeforeAll
    static void table() throws SQLException {
        TestDatabase.ensureDatabase(URL, false);
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS apply_batch_test (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM apply_batch_test");
        }
    }

    private static Writes.Row row(int id, String note) {
        return insert -> {
            insert.setInt(1, id);
            insert.setString(2, note);
        };
    }

    private static List<Map<String, Object>> committed() throws SQLException {
        try (Connection connection = TestDatabase.connect(URL)) {
            return TestDatabase.rows(connection, "SELECT id, note FROM apply_batch_test ORDER BY id");
        }
    }

    private static long seenBy(Connection connection) throws SQLException {
        return (long) TestDatabase.rows(connection, "SELECT count(*) AS n FROM apply_batch_test").get(0).get("n");
    }

    @Test
    void writesHeldBackAreSentBeforeTheCommitAndCommitTogether() throws SQLException {
        List<String> afterCommit = new ArrayList<>();
        ApplyBatch batch = new ApplyBatch(TestDatabase.connect(URL), List.of());
        batch.beginUnit("contact", "c1");
        batch.writes().write(INSERT, row(1, "first event"));
        batch.afterCommit(() -> afterCommit.add("first event"));
        batch.beginUnit("contact", "c2");
        batch.writes().write(INSERT, row(2, "second event"));
        batch.afterCommit(() -> afterCommit.add("second event"));

        assertThat(seenBy(batch.connection())).as("held back, not yet sent").isZero();
        assertThat(afterCommit).isEmpty();

        batch.commit();

        assertThat(committed()).containsExactly(Map.of("id", 1, "note", "first event"), Map.of("id", 2, "note", "second event"));
        assertThat(afterCommit).containsExactly("first event", "second event");
    }

    @Test
    void aSecondUnitOfOneRecordSeesWhatTheFirstHeldBackAndReadsForItself() throws SQLException {
        try (ApplyBatch batch = new ApplyBatch(TestDatabase.connect(URL), List.of())) {
            assertThat(batch.beginUnit("contact", "c7")).as("the record's first unit").isTrue();
            batch.writes().write(INSERT, row(1, "billing's unit"));
            assertThat(batch.beginUnit("invoice", "c7")).as("another entity's record").isTrue();
            assertThat(seenBy(batch.connection())).as("nothing sent for another record").isZero();

            assertThat(batch.beginUnit("contact", "c7")).as("the same record again: not the first").isFalse();

            assertThat(seenBy(batch.connection())).isEqualTo(1);
        }
        assertThat(committed()).as("closed without a commit: rolled back").isEmpty();
    }

    @Test
    void aRowThatMustBeNewAndExistsFailsTheCommitAndNothingIsKept() throws SQLException {
        String insertNew = "INSERT INTO apply_batch_test (id, note) VALUES (?, ?) ON CONFLICT DO NOTHING";
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO apply_batch_test (id, note) VALUES (2, 'an earlier event')");
        }
        ApplyBatch batch = new ApplyBatch(TestDatabase.connect(URL), List.of());
        batch.beginUnit("contact", "c1");
        batch.writes().writeNew(insertNew, "key 1", row(1, "first event"));
        batch.writes().write(INSERT, row(3, "first event's state"));
        batch.beginUnit("contact", "c2");
        batch.writes().writeNew(insertNew, "key 2", row(2, "second event"));

        // Both keys went in one statement, whose update count says how many inserted, not which.
        assertThatThrownBy(batch::commit).isInstanceOf(RowExistsException.class)
                .hasMessage("1 of 2 rows that had to be new exist already: key 1; key 2");
        batch.close();

        assertThat(committed()).containsExactly(Map.of("id", 2, "note", "an earlier event"));
    }

    @Test
    void aRowThatMustBeNewAndExistsFailsAtOnceOutsideABatch() throws SQLException {
        String insertNew = "INSERT INTO apply_batch_test (id, note) VALUES (?, ?) ON CONFLICT DO NOTHING";
        try (Connection connection = TestDatabase.connect(URL)) {
            Writes.immediate(connection).writeNew(insertNew, "key 4", row(4, "new"));
            assertThatThrownBy(() -> Writes.immediate(connection).writeNew(insertNew, "key 4", row(4, "again")))
                    .isInstanceOf(RowExistsException.class).hasMessage("key 4 exists already");
        }
        assertThat(committed()).containsExactly(Map.of("id", 4, "note", "new"));
    }

    @Test
    void anAbortedBatchKeepsNothingAndTakesNoMoreUnits() throws SQLException {
        ApplyBatch batch = new ApplyBatch(TestDatabase.connect(URL), List.of());
        batch.beginUnit("contact", "c1");
        try (Statement statement = batch.connection().createStatement()) {
            statement.executeUpdate("INSERT INTO apply_batch_test (id, note) VALUES (1, 'written at once')");
        }
        batch.writes().write(INSERT, row(2, "held back"));

        batch.abort(new IllegalStateException("the second event was rejected"));

        assertThat(batch.aborted()).isTrue();
        assertThatThrownBy(() -> batch.beginUnit("contact", "c2")).isInstanceOf(ApplyBatchAbortedException.class)
                .hasMessageContaining("the second event was rejected");
        assertThatThrownBy(batch::commit).isInstanceOf(ApplyBatchAbortedException.class);
        assertThat(committed()).isEmpty();
    }
    @Test
    void aBatchWithinTheCallersTransactionRollsBackToWhereItBeganAndLeavesTheCommitToTheCaller() throws SQLException {
        try (Connection page = TestDatabase.connect(URL)) {
            page.setAutoCommit(false);
            try (Statement statement = page.createStatement()) {
                statement.executeUpdate("INSERT INTO apply_batch_test (id, note) VALUES (1, 'the caller''s own row')");
            }
            List<Boolean> ended = new ArrayList<>();
            ApplyBatch failed = ApplyBatch.within(page, List.of(), () -> false);
            failed.beginUnit("contact", "c1");
            failed.whenEnded(ended::add);
            try (Statement statement = failed.connection().createStatement()) {
                statement.executeUpdate("INSERT INTO apply_batch_test (id, note) VALUES (2, 'a failed attempt')");
            }
            failed.abort(new IllegalStateException("a record was held"));
            assertThat(ended).as("told at once that its rows are gone").containsExactly(false);
            assertThat(page.isClosed()).as("the connection stays the caller's").isFalse();

            List<String> afterCommit = new ArrayList<>();
            ApplyBatch applied = ApplyBatch.within(page, List.of(), () -> false);
            applied.beginUnit("contact", "c1");
            applied.writes().write(INSERT, row(3, "the attempt that worked"));
            applied.afterCommit(() -> afterCommit.add("applied"));
            applied.commit();
            assertThat(committed()).as("sent, not committed: the caller commits").isEmpty();
            assertThat(afterCommit).isEmpty();

            page.commit();
            applied.ended(true);

            assertThat(committed()).containsExactly(Map.of("id", 1, "note", "the caller's own row"),
                    Map.of("id", 3, "note", "the attempt that worked"));
            assertThat(afterCommit).containsExactly("applied");
        }
    }
}
