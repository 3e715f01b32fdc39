package io.syncline.store;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement's parameters listed with {@link Sql#params()}, on the real PostgreSQL: each sent with
 * the type its setter gives it (a null too), in order, on a statement and as rows of writes, held
 * back or not. Each test writes to a temporary table of its connection, which leaves nothing in
 * the store that Flyway would trip on.
 */
class SqlParamsTest {

    private static final String INSERT = "INSERT INTO sql_params_test (id, note, at, flag, ref) VALUES (?, ?, ?, ?, ?)";
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void sendsEachParameterWithTheTypeOfItsSetterNullsToo() throws SQLException {
        try (Connection connection = TestDatabase.connect()) {
            List<String> types = Sql.one(connection, "SELECT pg_typeof(?)::text, pg_typeof(?)::text, pg_typeof(?)::text,"
                    + " pg_typeof(?)::text, pg_typeof(?)::text, pg_typeof(?)::text",
                    Sql.params().text("a", null).integer(7).bigint(8).object(null, Types.BIGINT).bool(true),
                    rows -> List.of(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getString(6)));

            assertThat(types).containsExactly("character varying", "character varying", "integer", "bigint", "bigint", "boolean");
        }
    }

    @Test
    void bindsInTheOrderListed() throws SQLException {
        try (Connection connection = withTable()) {
            Sql.update(connection, INSERT, Sql.params().integer(1).text("first").timestamp(Timestamp.from(AT)).bool(false).object(41L));
            Sql.update(connection, INSERT, Sql.params().integer(2).text((String) null).nullOf(Types.TIMESTAMP_WITH_TIMEZONE)
                    .bool(true).object(null, Types.BIGINT));

            assertThat(stored(connection)).containsExactly(
                    Map.of("id", 1, "note", "first", "at", AT.toString(), "flag", "false", "ref", "41"),
                    Map.of("id", 2, "note", "-", "at", "-", "flag", "true", "ref", "-"));
        }
    }

    @Test
    void isARowOfWritesAtOnceAndHeldBack() throws SQLException {
        try (Connection connection = withTable()) {
            Writes.immediate(connection).write(INSERT, params(1, "at once"));
            try (DeferredWrites held = new DeferredWrites(connection)) {
                held.write(INSERT, params(2, "held"), params(3, "held too"));
                assertThat(stored(connection)).hasSize(1);
                held.flush();
            }

            assertThat(stored(connection)).extracting(row -> row.get("note")).containsExactly("at once", "held", "held too");
        }
    }

    private static Sql.Params params(int id, String note) {
        return Sql.params().integer(id).text(note).timestamp(Timestamp.from(AT)).bool(true).object((long) id, Types.BIGINT);
    }

    private static Connection withTable() throws SQLException {
        Connection connection = TestDatabase.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE sql_params_test"
                    + " (id INTEGER PRIMARY KEY, note TEXT, at TIMESTAMP WITH TIME ZONE, flag BOOLEAN, ref BIGINT)");
        }
        return connection;
    }

    /** The rows by id, each value as text and a NULL as "-" (Map.of takes no null). */
    private static List<Map<String, Object>> stored(Connection connection) throws SQLException {
        return TestDatabase.rows(connection, "SELECT id, COALESCE(note, '-') AS note,"
                + " COALESCE(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-') AS at,"
                + " COALESCE(flag::text, '-') AS flag, COALESCE(ref::text, '-') AS ref FROM sql_params_test ORDER BY id");
    }
}
