package io.syncline.store;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.syncline.config.SynclineConfig;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Stops start-up before Flyway migrates when the state store's schema holds no tables of
 * Syncline's yet but {@code public} does: those are the tables of a Syncline that kept them in
 * {@code public}, and migrating would start a second, empty store beside them (an empty ID map
 * creates every record again). The message names the way on: keep the tables where they are
 * ({@code SYNCLINE_STORE_SCHEMA=public}, docs/deployment.md). A database whose
 * {@code public} holds only the user's tables, or another application's Flyway history, passes.
 */
@Singleton
public class StoreSchemaCheck implements FlywayConfigurationCustomizer {

    /** A migration every Syncline store has run: a history that lists it is Syncline's. */
    static final String SYNCLINE_MIGRATION = "V3__inbox.sql";

    private final String schema;

    public StoreSchemaCheck(SynclineConfig config) {
        this(config.store().schema());
    }

    StoreSchemaCheck(String schema) {
        this.schema = StoreSchema.checked(schema);
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        if (StoreSchema.PUBLIC.equals(schema)) {
            return;
        }
        String history = configuration.getTable();
        try (Connection connection = configuration.getDataSource().getConnection()) {
            if (!hasTable(connection, schema, history) && hasTable(connection, StoreSchema.PUBLIC, history)
                    && isSynclines(connection, history)) {
                throw new IllegalStateException("The state store's tables are in schema public (Flyway's history "
                        + "public." + history + " lists Syncline's migrations), but syncline.store.schema is " + schema
                        + ", which holds none of them yet: migrating there would start an empty store beside them."
                        + " Set SYNCLINE_STORE_SCHEMA=public to keep using them where they are"
                        + " (docs/deployment.md, \"State store schema\").");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot look for the state store's tables: " + e.getMessage(), e);
        }
    }

    private static boolean hasTable(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static boolean isSynclines(Connection connection, String history) throws SQLException {
        // Flyway's table name is a plain identifier of its configuration, not user input.
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM " + StoreSchema.PUBLIC + "." + history + " WHERE script = ?")) {
            statement.setString(1, SYNCLINE_MIGRATION);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
