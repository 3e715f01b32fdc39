package io.syncline.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Two ledgers ({@code ledger_a}, {@code ledger_b}) in a database of their own and a model that
 * reconciles them on a schedule, beside the shipped route files: for the tests of scheduled
 * reconciliation runs on several replicas. The model reads the database user from
 * {@code LEDGER_DB_USER}.
 */
public final class Ledgers {

    private static final String MODEL = """
            # Two ledgers in a database of their own, reconciled on a schedule.
            systems:
              ledger_a: {type: jdbc, url: "%1$s", username: {env: LEDGER_DB_USER}}
              ledger_b: {type: jdbc, url: "%1$s", username: {env: LEDGER_DB_USER}}
            entities:
              ledger:
                key: id
                master: ledger_a
                fields:
                  id: {type: string}
                  amount: {type: string}
                mappings:
                  ledger_a:
                    key: id
                    table: ledger_a
                    fields: [{field: id, path: id}, {field: amount, path: amount}]
                  ledger_b:
                    key: id
                    table: ledger_b
                    fields: [{field: id, path: id}, {field: amount, path: amount}]
            reconciliations:
              %2$s:
                entity: ledger
                sideA: ledger_a
                sideB: ledger_b
                schedule: "%3$s"
                tolerance: 0s
            """;

    private Ledgers() {
    }

    /** Creates both ledgers in the database at {@code url}: {@code rowsA} and {@code rowsB} rows, the same ids from 1. */
    public static void create(String url, int rowsA, int rowsB) throws SQLException {
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger_a (id VARCHAR(20) PRIMARY KEY, amount VARCHAR(20))");
            statement.execute("CREATE TABLE ledger_b (id VARCHAR(20) PRIMARY KEY, amount VARCHAR(20))");
            statement.execute("INSERT INTO ledger_a SELECT 'l-' || g, g::text FROM generate_series(1, " + rowsA + ") g");
            statement.execute("INSERT INTO ledger_b SELECT 'l-' || g, g::text FROM generate_series(1, " + rowsB + ") g");
        }
    }

    /**
     * A fresh folder of route files, as a ConfigMap mounts them: the shipped ones, and the model
     * reconciling the ledgers at {@code url} as {@code job} on the Quartz {@code cron}.
     */
    public static Path routes(String url, String job, String cron) throws IOException {
        Path routes = Files.createTempDirectory("syncline-ledger-routes");
        RouteFolders.copyShippedRoutes(routes);
        Files.writeString(routes.resolve("ledgers.syncline.yaml"), MODEL.formatted(url, job, cron));
        return routes;
    }
}
