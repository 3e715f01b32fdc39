package io.syncline.connector.jdbc;

import io.agroal.api.AgroalDataSource;
import io.syncline.model.CanonicalField;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each dialect's statements run on the real databases, through the pools Syncline creates for
 * {@code url:} systems: upsert creates then updates one row, select, soft and hard delete by key,
 * and timestamps land as UTC in zoned and zoneless columns; MariaDB through its own driver and
 * through MySQL's (jdbc:mysql:). The JVM runs in India's zone and the
 * MariaDB session starts at -05:00, so a value that went through either zone shows.
 */
class SqlDialectDatabaseTest {

    private static final String TABLE = "dialect_probe";
    private static final List<String> COLUMNS = List.of("id", "name", "seen_at", "seen_at_zoned", "born");
    private static final Map<String, CanonicalField.Type> TYPES = Map.of("seen_at", CanonicalField.Type.TIMESTAMP,
            "seen_at_zoned", CanonicalField.Type.TIMESTAMP, "born", CanonicalField.Type.DATE, "deleted_at", CanonicalField.Type.TIMESTAMP);
    private static TimeZone jvmZone;

    /**
     * A database reached through a driver, the dialect it must get, its probe table, and how to read a
     * zoneless column's wall time and a zoned one's epoch seconds.
     */
    record Server(String name, String dialect, String url, String user, String password, String createTable, String wallTime, String epoch) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> servers() {
        MariaDbTestDatabase.ensure();
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        return Stream.of(
                Arguments.of(new Server("PostgreSQL", "PostgreSQL", TestDatabase.url(), TestDatabase.user(), TestDatabase.password(),
                        "CREATE TABLE " + TABLE + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(100), seen_at TIMESTAMP,"
                                + " seen_at_zoned TIMESTAMP WITH TIME ZONE, born DATE, deleted_at TIMESTAMP WITH TIME ZONE)",
                        "to_char(seen_at, 'YYYY-MM-DD\"T\"HH24:MI:SS')", "CAST(EXTRACT(EPOCH FROM seen_at_zoned) AS BIGINT)")),
                Arguments.of(new Server("MariaDB", "MariaDB", MariaDbTestDatabase.urlWith("sessionVariables=time_zone='-05:00'"),
                        MariaDbTestDatabase.user(), MariaDbTestDatabase.password(),
                        "CREATE TABLE " + TABLE + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(100), seen_at DATETIME(3),"
                                + " seen_at_zoned TIMESTAMP(3) NULL, born DATE, deleted_at DATETIME(3))",
                        "DATE_FORMAT(seen_at, '%Y-%m-%dT%H:%i:%s')", "CAST(UNIX_TIMESTAMP(seen_at_zoned) AS SIGNED)")),
                // MySQL's own driver (jdbc:mysql:), on the same server: MariaDB speaks MySQL's protocol
                Arguments.of(new Server("MariaDB through jdbc:mysql:", "MariaDB", MariaDbTestDatabase.urlWith("sessionVariables=time_zone='-05:00'")
                        .replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"), MariaDbTestDatabase.user(), MariaDbTestDatabase.password(),
                        "CREATE TABLE " + TABLE + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(100), seen_at DATETIME(3),"
                                + " seen_at_zoned TIMESTAMP(3) NULL, born DATE, deleted_at DATETIME(3))",
                        "DATE_FORMAT(seen_at, '%Y-%m-%dT%H:%i:%s')", "CAST(UNIX_TIMESTAMP(seen_at_zoned) AS SIGNED)")),
                Arguments.of(new Server("H2", "H2", "jdbc:h2:mem:dialect_probe;DB_CLOSE_DELAY=-1", "sa", null,
                        "CREATE TABLE " + TABLE + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(100), seen_at TIMESTAMP,"
                                + " seen_at_zoned TIMESTAMP WITH TIME ZONE, born DATE, deleted_at TIMESTAMP WITH TIME ZONE)",
                        "FORMATDATETIME(seen_at, 'yyyy-MM-dd''T''HH:mm:ss')", "CAST(EXTRACT(EPOCH FROM seen_at_zoned) AS BIGINT)")));
    }

    @BeforeAll
    static void jvmOutsideUtc() {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    }

    @AfterAll
    static void jvmZoneBack() {
        TimeZone.setDefault(jvmZone);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void upsertCreatesThenUpdatesOneRowThenItIsSoftAndHardDeleted(Server server) throws SQLException {
        try (AgroalDataSource pool = JdbcPools.open(server.url(), server.user(), server.password());
                Connection connection = pool.getConnection()) {
            execute(connection, "DROP TABLE IF EXISTS " + TABLE, server.createTable());
            SqlDialect dialect = SqlDialect.of(connection);
            assertThat(dialect.name()).isEqualTo(server.dialect());

            SqlStatement upsert = dialect.upsert(TABLE, "id", COLUMNS);
            run(connection, dialect, upsert, Map.of("id", "k-1", "name", "Ada", "seen_at", "2024-03-01T09:30:00Z",
                    "seen_at_zoned", "2024-03-01T09:30:00Z", "born", "1815-12-10"));
            assertThat(rows(connection, server)).containsExactly(Map.of("id", "k-1", "name", "Ada",
                    "wall", "2024-03-01T09:30:00", "epoch", 1_709_285_400L, "born", "1815-12-10"));

            run(connection, dialect, upsert, Map.of("id", "k-1", "name", "Ada Lovelace", "seen_at", "2024-07-01T23:45:10Z",
                    "seen_at_zoned", "2024-07-01T23:45:10Z", "born", "1815-12-10"));
            assertThat(rows(connection, server)).containsExactly(Map.of("id", "k-1", "name", "Ada Lovelace",
                    "wall", "2024-07-01T23:45:10", "epoch", 1_719_877_510L, "born", "1815-12-10"));

            SqlStatement keyOnly = dialect.upsert(TABLE, "id", List.of("id"));
            run(connection, dialect, keyOnly, Map.of("id", "k-1"));
            run(connection, dialect, keyOnly, Map.of("id", "k-2"));
            assertThat(column(connection, "SELECT name FROM " + TABLE + " ORDER BY id")).containsExactly("Ada Lovelace", null);

            SqlStatement select = dialect.selectByKey(TABLE, "id", List.of("name"));
            assertThat(column(connection, select.sql(), "k-1")).containsExactly("Ada Lovelace");

            run(connection, dialect, dialect.softDelete(TABLE, "id", "deleted_at"), Map.of("id", "k-1", "deleted_at", "2024-08-01T00:00:00Z"));
            assertThat(column(connection, "SELECT id FROM " + TABLE + " WHERE deleted_at IS NOT NULL")).containsExactly("k-1");

            run(connection, dialect, dialect.deleteByKey(TABLE, "id"), Map.of("id", "k-1"));
            assertThat(column(connection, "SELECT id FROM " + TABLE)).containsExactly("k-2");
            execute(connection, "DROP TABLE " + TABLE);
        }
    }

    private static void run(Connection connection, SqlDialect dialect, SqlStatement sql, Map<String, Object> row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.sql())) {
            int index = 1;
            for (String column : sql.columns()) {
                statement.setObject(index++, dialect.bind(row.get(column), TYPES.get(column)));
            }
            statement.executeUpdate();
        }
    }

    /** Read back without the dialect: the database's own formatting of what it stored. */
    private static List<Map<String, Object>> rows(Connection connection, Server server) throws SQLException {
        return TestDatabase.rows(connection, "SELECT id AS \"id\", name AS \"name\", " + server.wallTime() + " AS \"wall\", "
                + server.epoch() + " AS \"epoch\", CAST(born AS CHAR(10)) AS \"born\" FROM " + TABLE).stream()
                .map(row -> Map.<String, Object>of("id", row.get("id"), "name", row.get("name"), "wall", row.get("wall"),
                        "epoch", ((Number) row.get("epoch")).longValue(), "born", row.get("born")))
                .toList();
    }

    /** The first column of each row. */
    private static List<Object> column(Connection connection, String sql, Object... parameters) throws SQLException {
        return TestDatabase.rows(connection, sql, parameters).stream().map(row -> row.values().iterator().next()).toList();
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
