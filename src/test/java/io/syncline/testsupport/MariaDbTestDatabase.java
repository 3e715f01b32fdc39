package io.syncline.testsupport;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The real MariaDB the JDBC-target tests write to. {@code SYNCLINE_TEST_MARIADB_URL} (default
 * {@value #DEFAULT_URL}), {@code SYNCLINE_TEST_MARIADB_USER} (default root) and
 * {@code SYNCLINE_TEST_MARIADB_PASSWORD} (default empty) choose the server and database; that
 * user must be allowed to create databases and users. Tests read rows through plain JDBC, so the
 * same assertions work against the packaged application.
 */
public final class MariaDbTestDatabase {

    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/syncline_test";

    private MariaDbTestDatabase() {
    }

    public static String url() {
        return TestDatabase.setting("SYNCLINE_TEST_MARIADB_URL", DEFAULT_URL);
    }

    public static String user() {
        return TestDatabase.setting("SYNCLINE_TEST_MARIADB_USER", "root");
    }

    public static String password() {
        return TestDatabase.setting("SYNCLINE_TEST_MARIADB_PASSWORD", "");
    }

    /** The database named in the URL. */
    public static String name() {
        String url = url();
        int slash = url.indexOf('/', url.indexOf("//") + 2);
        int query = url.indexOf('?', slash);
        String name = slash < 0 ? "" : url.substring(slash + 1, query < 0 ? url.length() : query);
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("SYNCLINE_TEST_MARIADB_URL must name a database [A-Za-z0-9_]+, got '" + name + "'");
        }
        return name;
    }

    /** The URL with one more driver option ({@code name=value}). */
    public static String urlWith(String option) {
        String url = url();
        return url + (url.contains("?") ? "&" : "?") + option;
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Drops and creates the test database: leftovers of earlier runs can neither hide nor cause failures. */
    public static void recreate() {
        onServer("DROP DATABASE IF EXISTS " + name(), "CREATE DATABASE " + name() + " CHARACTER SET utf8mb4");
    }

    /** Creates the test database when it does not exist yet. */
    public static void ensure() {
        onServer("CREATE DATABASE IF NOT EXISTS " + name() + " CHARACTER SET utf8mb4");
    }

    /**
     * A database account for the application under test, {@code <database>_app} with a new random
     * password and rights on the test database only: the application then reaches MariaDB with
     * credentials from its environment, as in production, not with the tests' own.
     */
    public static Map<String, String> createApplicationUser() {
        String user = name() + "_app";
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        // Names were checked as [A-Za-z0-9_]+ and the password is hex: DDL cannot bind them.
        onServer("CREATE OR REPLACE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON " + name() + ".* TO '" + user + "'@'%'");
        return Map.of("user", user, "password", password);
    }

    /** Runs statements on the test database. */
    public static void execute(String... statements) {
        run(url(), statements);
    }

    /** Rows of a parameterised query on the test database. */
    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = connect()) {
            return TestDatabase.rows(connection, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB test query failed: " + sql, e);
        }
    }

    private static void onServer(String... statements) {
        String url = url();
        run(url.substring(0, url.indexOf('/', url.indexOf("//") + 2) + 1), statements);
    }

    private static void run(String url, String... statements) {
        try (Connection connection = DriverManager.getConnection(url, user(), password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB test statement failed on " + url
                    + " (is MariaDB running on 127.0.0.1:3306?): " + e.getMessage(), e);
        }
    }
}
