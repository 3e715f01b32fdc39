package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The schema that holds the state store's tables ({@code syncline.store.schema}, default
 * {@code syncline}), and how a session is put into it: first on its search path, so that
 * Syncline's statements, Quartz's and Flyway's name their tables without a schema and find them
 * there, and a table made at run time (a reconciliation's staging partitions) lands there too.
 * The session's own search path follows it, so that a JDBC system on the state store's
 * datasource ({@code datasource: default}) still finds the user's tables in {@code public}. With
 * the schema {@code public} a session is left as it is.
 *
 * <p>On PostgreSQL the schema may not exist yet when the first connection opens (Flyway creates it,
 * {@code quarkus.flyway.create-schemas}); PostgreSQL skips a missing schema until it exists. The
 * embedded H2 store creates it here, since H2 cannot make a missing schema current.
 */
final class StoreSchema {

    /** Where PostgreSQL and H2 put tables by default; with the setting {@code public} the state store keeps its tables there. */
    static final String PUBLIC = "public";

    /**
     * The connection property that carries the schema to {@link StateStoreDriver}
     * ({@code quarkus.datasource.jdbc.additional-jdbc-properties}); the driver takes it out.
     */
    static final String PROPERTY = "syncline-store-schema";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private StoreSchema() {
    }

    /** {@code schema} when Syncline can use it unquoted everywhere; otherwise fails naming the key. */
    static String checked(String schema) {
        if (schema == null || !IDENTIFIER.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("syncline.store.schema (SYNCLINE_STORE_SCHEMA) is '" + schema
                    + "': it must be a lower-case name of letters, digits and _ (at most 63, not starting with"
                    + " a digit or pg_), such as syncline");
        }
        return schema;
    }

    /** Puts a new PostgreSQL ({@code postgres}) or H2 session into {@code schema}, a {@link #checked} name. */
    static void enter(Connection connection, String schema, boolean postgres) throws SQLException {
        if (PUBLIC.equals(schema)) {
            return;
        }
        if (postgres) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT set_config('search_path', ? || ', ' || current_setting('search_path'), false)")) {
                statement.setString(1, '"' + schema + '"');
                statement.execute();
            }
        } else {
            // The name was checked: DDL and SET cannot take it as a parameter.
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                statement.execute("SET SCHEMA " + schema);
                statement.execute("SET SCHEMA_SEARCH_PATH " + schema + ", " + PUBLIC);
            }
        }
        if (!connection.getAutoCommit()) {
            // a session setting made in a transaction that is later rolled back would go with it
            connection.commit();
        }
    }
}
