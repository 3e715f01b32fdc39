package io.syncline.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The folders of {@code examples/} as their scenario tests run them: the models name the providers'
 * real addresses, so a test runs a copy with its stand-ins' addresses written over them, on a
 * PostgreSQL state store of the example's own (an application with other routes must not share
 * its inbox).
 */
public final class Examples {

    private Examples() {
    }

    /** A fresh temporary copy of {@code examples/<example>} with each stand-in's address written over the real one. */
    public static Path copy(String example, Map<String, String> addresses) {
        return RouteFolders.copyWithAddresses(Path.of("examples", example), addresses);
    }

    /** The URL of the example's own state store. */
    public static String databaseOf(String example) {
        return TestDatabase.siblingUrl("_example_" + example.replace('-', '_'));
    }

    /** The id {@code system} has of the record {@code otherSystem} knows as {@code otherId}, once the example's ID map links them. */
    public static String linkedId(String example, String entity, String system, String otherSystem, String otherId) {
        return (String) TestDatabase.awaitRowsOn(databaseOf(example), "SELECT target.system_id FROM id_map target JOIN id_map source"
                + " ON source.canonical_id = target.canonical_id AND source.entity = target.entity WHERE target.entity = ?"
                + " AND target.system = ? AND source.system = ? AND source.system_id = ?", entity, system, otherSystem, otherId)
                .get(0).get("system_id");
    }

    /** Waits until {@code events} of the example's inbox events are finished: done, held or dead. */
    public static void awaitSettled(String example, long events) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> org.assertj.core.api.Assertions
                .assertThat(TestDatabase.queryOn(databaseOf(example), "SELECT count(*) AS n FROM inbox"
                        + " WHERE status IN ('done', 'held', 'dead')").get(0).get("n"))
                .isEqualTo(events));
    }

    /** The example's state store made afresh, and the settings that point the application at it and at the copy. */
    public static Map<String, String> store(String example, Path routes) {
        String url = databaseOf(example);
        TestDatabase.ensureDatabase(url, true);
        return Map.of("syncline.routes.location", routes.toString(), "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", TestDatabase.user(), "quarkus.datasource.password", TestDatabase.password());
    }

    /**
     * Runs an example's SQL file ({@code examples/<example>/<file>}) on the database at {@code url}, and gives the
     * system that writes there an account of its own, {@code role}, with a fresh password and rights on
     * {@code table} only, as production has: its password.
     */
    public static String schemaWithAccount(String example, String file, String url, String role, String table) {
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            for (String sql : statements(example, file)) {
                statement.execute(sql);
            }
            // the names are the tests' constants and the password hex: DDL cannot bind them
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "')"
                    + " THEN CREATE ROLE " + role + " LOGIN; END IF; END $$");
            statement.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return password;
    }

    /** The statements of an example's SQL file ({@code examples/<example>/<file>}), split at each {@code ;}, comments dropped. */
    public static String[] statements(String example, String file) {
        try {
            String sql = Files.readString(Path.of("examples", example, file), StandardCharsets.UTF_8)
                    .replaceAll("(?m)--.*$", "");
            return Arrays.stream(sql.split(";")).map(String::strip).filter(statement -> !statement.isEmpty())
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
