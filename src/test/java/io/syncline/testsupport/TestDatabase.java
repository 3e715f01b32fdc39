package io.syncline.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The real PostgreSQL the tests run against. Tests read rows through plain JDBC so that the
 * same assertions work against the packaged application ({@code …IT}), where nothing of the
 * application can be injected.
 *
 * <p>{@code SYNCLINE_TEST_DB_URL} (default {@value #DEFAULT_URL}), {@code SYNCLINE_TEST_DB_USER}
 * (default postgres) and {@code SYNCLINE_TEST_DB_PASSWORD} (default empty) choose it; CI points
 * the URL at a database it has just created.
 */
public final class TestDatabase {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/syncline_test";

    /** The schema of the application's tables (syncline.store.schema's default). */
    public static final String STORE_SCHEMA = "syncline";

    /**
     * The name of the lock ({@code @ResourceLock}) held by an integration test that runs an
     * application on the test database itself ({@link #url()}) rather than a sibling of its own.
     */
    public static final String MAIN = "syncline-test-database";

    private TestDatabase() {
    }

    public static String url() {
        return setting("SYNCLINE_TEST_DB_URL", DEFAULT_URL);
    }

    public static String user() {
        return setting("SYNCLINE_TEST_DB_USER", "postgres");
    }

    public static String password() {
        return setting("SYNCLINE_TEST_DB_PASSWORD", "");
    }

    /**
     * A database of its own for tests whose application must not share the inbox with others
     * (another routes folder): the test database's name with {@code suffix}, on the same server.
     */
    public static String siblingUrl(String suffix) {
        return urlOf(nameOf(url()) + suffix);
    }

    /** The test server's URL for another database on it. */
    public static String urlOf(String database) {
        String url = url();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    public static Connection connect() throws SQLException {
        return connect(url());
    }

    /**
     * A session that finds tables as the application's do: in the state store's schema
     * ({@value #STORE_SCHEMA}) first, then in {@code public}, where a table made before the
     * application's first start (a test's own target table) stays.
     */
    public static Connection connect(String url) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("user", user());
        settings.setProperty("password", password());
        settings.setProperty("currentSchema", STORE_SCHEMA + ",public");
        return DriverManager.getConnection(url, settings);
    }

    /** Rows of a parameterised query, column name to value, in result order. */
    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        return queryOn(url(), sql, parameters);
    }

    /**
     * Rows of a query, once it has any: processing behind the inbox is asynchronous, so tests
     * poll (Awaitility) rather than sleep. Fails after 30 s.
     */
    public static List<Map<String, Object>> awaitRows(String sql, Object... parameters) {
        return awaitRowsOn(url(), sql, parameters);
    }

    /** {@link #awaitRows} on the database at {@code url}. */
    public static List<Map<String, Object>> awaitRowsOn(String url, String sql, Object... parameters) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> queryOn(url, sql, parameters), rows -> !rows.isEmpty());
    }

    /** The status the inbox entry {@code inboxId} settles in ({@code done}, {@code held} or {@code dead}), awaited on the database at {@code url}. */
    public static String awaitSettledOn(String url, long inboxId) {
        return (String) awaitRowsOn(url, "SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')", inboxId)
                .get(0).get("status");
    }

    /** Rows of a parameterised query on the database at {@code url}. */
    public static List<Map<String, Object>> queryOn(String url, String sql, Object... parameters) {
        try (Connection connection = connect(url)) {
            return rows(connection, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("Test query failed: " + sql, e);
        }
    }

    /** Runs a parameterised INSERT, UPDATE or DELETE; @return the rows it changed */
    public static int update(String sql, Object... parameters) {
        return updateOn(url(), sql, parameters);
    }

    /** {@link #update} on the database at {@code url}. */
    public static int updateOn(String url, String sql, Object... parameters) {
        try (Connection connection = connect(url); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Test statement failed: " + sql, e);
        }
    }

    /** Rows of a parameterised query, column label to value, in result order. */
    public static List<Map<String, Object>> rows(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns; c++) {
                        row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
                    }
                    result.add(row);
                }
                return result;
            }
        }
    }

    /**
     * Creates the database named in {@code url} when it does not exist yet, connecting to the
     * server's {@code postgres} maintenance database. With {@code fresh}, drops it first.
     */
    public static void ensureDatabase(String url, boolean fresh) {
        ensureDatabase(url, user(), password(), fresh);
    }

    /** As {@link #ensureDatabase(String, boolean)}, on another server, as {@code user} ({@link PrivatePostgres}). */
    static void ensureDatabase(String url, String user, String password, boolean fresh) {
        int slash = url.lastIndexOf('/');
        String name = nameOf(url);
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Test database name must be [A-Za-z0-9_]+, got " + name);
        }
        String maintenanceUrl = url.substring(0, slash + 1) + "postgres";
        try (Connection admin = DriverManager.getConnection(maintenanceUrl, user, password)) {
            if (fresh) {
                // The name was checked above; DDL cannot take it as a bind parameter.
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            try (PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rows = exists.executeQuery()) {
                    if (!rows.next()) {
                        admin.createStatement().execute("CREATE DATABASE " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare test database " + name + " at " + maintenanceUrl
                    + " (is PostgreSQL running there?)", e);
        }
    }

    private static String nameOf(String url) {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return url.substring(slash + 1, query < 0 ? url.length() : query);
    }

    static String setting(String name, String fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
