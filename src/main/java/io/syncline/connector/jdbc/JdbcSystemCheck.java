package io.syncline.connector.jdbc;

import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The check of a JDBC system before its first event: a connection (its credentials and that the
 * database answers), then for each mapping its table, the columns it names, and for a mapping
 * Syncline writes the key column's primary key or unique index (an upsert needs one), read from
 * the driver's metadata. Every call on the connection is bounded by the check's timeout.
 */
final class JdbcSystemCheck {

    private static final Executor TIMEOUTS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "syncline-jdbc-check-timeout");
        thread.setDaemon(true);
        return thread;
    });

    /** Opens a connection of the named system. */
    interface Connect {

        Connection open(String system) throws SQLException;
    }

    private final Connect connect;

    JdbcSystemCheck(Connect connect) {
        this.connect = connect;
    }

    List<SystemCheck> check(String system, SyncModel model, Duration timeout) {
        List<SystemCheck> checks = new ArrayList<>();
        try (Connection connection = connect.open(system)) {
            int before = bound(connection, timeout);
            try {
                checkOn(connection, system, model, timeout, checks);
            } catch (SQLException | RuntimeException e) {
                checks.add(SystemCheck.failed("metadata", "reading the tables' metadata failed: " + e.getMessage(),
                        "make sure the system's user may read the metadata of the tables the mappings name"));
            } finally {
                unbound(connection, before);
            }
        } catch (SQLException | RuntimeException e) {
            checks.add(SystemCheck.failed("credentials", "no connection: " + e.getMessage(),
                    "check the system's url, username and password (their environment variables or Secret) and that the"
                            + " database accepts connections from this deployment"));
        }
        return checks;
    }

    private static void checkOn(Connection connection, String system, SyncModel model, Duration timeout, List<SystemCheck> checks)
            throws SQLException {
        if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
            checks.add(SystemCheck.failed("reachable", "the database did not answer within " + timeout.toSeconds() + " s",
                    "make sure the database answers from this deployment"));
            return;
        }
        DatabaseMetaData metadata = connection.getMetaData();
        checks.add(SystemCheck.passed("credentials", "connected to " + metadata.getDatabaseProductName() + " "
                + metadata.getDatabaseProductVersion() + " as " + metadata.getUserName()));
        Map<String, List<SystemMapping>> byTable = new TreeMap<>();
        Mappings.ofSystem(model, system).values().forEach(mapping -> {
            String table = JdbcMappingSettings.of(mapping).table();
            if (table != null) {
                byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(mapping);
            }
        });
        for (Map.Entry<String, List<SystemMapping>> table : byTable.entrySet()) {
            checks.addAll(table(connection, table.getKey(), table.getValue()));
        }
    }

    /** Bounds every call on the connection by {@code timeout}; returns the network timeout it had, to put back. */
    private static int bound(Connection connection, Duration timeout) {
        try {
            int before = connection.getNetworkTimeout();
            connection.setNetworkTimeout(TIMEOUTS, (int) timeout.toMillis());
            return before;
        } catch (SQLException | UnsupportedOperationException e) {
            // a driver without network timeouts: the check's own deadline still bounds it
            return -1;
        }
    }

    /** Puts back the network timeout of a pool's connection, which others borrow after the check. */
    private static void unbound(Connection connection, int before) {
        if (before < 0) {
            return;
        }
        try {
            connection.setNetworkTimeout(TIMEOUTS, before);
        } catch (SQLException | UnsupportedOperationException e) {
            // as in bound
        }
    }

    private static List<SystemCheck> table(Connection connection, String table, List<SystemMapping> mappings) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        String qualifier = table.contains(".") ? table.substring(0, table.indexOf('.')) : null;
        String bare = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        String current = connection.getSchema();
        String found = null;
        String schema = null;
        for (String name : new LinkedHashSet<>(List.of(bare, bare.toLowerCase(Locale.ROOT), bare.toUpperCase(Locale.ROOT)))) {
            try (ResultSet tables = metadata.getTables(connection.getCatalog(), pattern(metadata, qualifier), pattern(metadata, name), null)) {
                // unqualified, the table the session's search path finds first: its current schema's, else the only one
                while (tables.next()) {
                    if (found == null || current != null && current.equals(tables.getString("TABLE_SCHEM"))) {
                        found = tables.getString("TABLE_NAME");
                        schema = tables.getString("TABLE_SCHEM");
                    }
                }
            }
            if (found != null) {
                break;
            }
        }
        String check = "table " + table;
        if (found == null) {
            return List.of(SystemCheck.failed(check, "no table " + table + " in " + (qualifier == null ? connection.getCatalog() : qualifier),
                    "CREATE TABLE " + table + " (…) with the columns the mapping names, or correct the mapping's table"));
        }
        Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        try (ResultSet rows = metadata.getColumns(connection.getCatalog(), pattern(metadata, schema), pattern(metadata, found), null)) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME"));
            }
        }
        List<SystemCheck> checks = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        boolean writes = false;
        Set<String> keys = new TreeSet<>();
        for (SystemMapping mapping : mappings) {
            for (FieldMapping field : mapping.fields()) {
                if (field.path() != null && !field.path().contains(".")) {
                    named.add(field.path());
                }
            }
            if (mapping.key() != null) {
                named.add(mapping.key());
                if (mapping.writes()) {
                    keys.add(mapping.key());
                }
            }
            writes |= mapping.writes();
        }
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(columns);
        if (missing.isEmpty()) {
            checks.add(SystemCheck.passed(check, "has the columns the mappings name: " + String.join(", ", named)));
        } else {
            for (String column : missing) {
                checks.add(SystemCheck.failed(check, "no column " + column, "ALTER TABLE " + table + " ADD COLUMN " + column
                        + " <type>, or correct the mapping's path"));
            }
        }
        if (writes) {
            for (String key : keys) {
                checks.add(uniqueKey(connection, schema, found, table, key));
            }
        }
        return checks;
    }

    /** A name as a metadata search pattern matches it alone: its {@code _} and {@code %} escaped. */
    private static String pattern(DatabaseMetaData metadata, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = metadata.getSearchStringEscape();
        return escape == null || escape.isEmpty() ? name
                : name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    /** Whether {@code key} alone is the table's primary key or has a unique index: an upsert by it needs one. */
    private static SystemCheck uniqueKey(Connection connection, String schema, String found, String table, String key) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        String check = "key " + table + "." + key;
        Map<String, List<String>> unique = new TreeMap<>();
        try (ResultSet rows = metadata.getPrimaryKeys(connection.getCatalog(), schema, found)) {
            while (rows.next()) {
                unique.computeIfAbsent("primary key " + rows.getString("PK_NAME"), name -> new ArrayList<>()).add(rows.getString("COLUMN_NAME"));
            }
        }
        try (ResultSet rows = metadata.getIndexInfo(connection.getCatalog(), schema, found, true, false)) {
            while (rows.next()) {
                if (!rows.getBoolean("NON_UNIQUE") && rows.getString("INDEX_NAME") != null && rows.getString("COLUMN_NAME") != null) {
                    unique.computeIfAbsent("unique index " + rows.getString("INDEX_NAME"), name -> new ArrayList<>())
                            .add(rows.getString("COLUMN_NAME"));
                }
            }
        }
        for (Map.Entry<String, List<String>> index : unique.entrySet()) {
            if (index.getValue().size() == 1 && index.getValue().get(0).equalsIgnoreCase(key)) {
                return SystemCheck.passed(check, "the key column has its " + index.getKey());
            }
        }
        String bare = found.toLowerCase(Locale.ROOT);
        return SystemCheck.failed(check, "the key column " + key + " has no primary key or unique index: an upsert by it cannot run",
                "CREATE UNIQUE INDEX " + bare + "_" + key.toLowerCase(Locale.ROOT) + "_key ON " + table + " (" + key + ")");
    }
}
