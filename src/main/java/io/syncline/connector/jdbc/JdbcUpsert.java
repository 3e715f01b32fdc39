package io.syncline.connector.jdbc;

import io.syncline.connector.spi.SqlDatabase;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Parameterised upserts of one row, in the two forms the supported databases understand, and
 * the rule for identifiers. Table and column names come from the model and must be plain
 * identifiers (checked here, since SQL cannot bind them); values are only ever bound.
 */
public final class JdbcUpsert {

    private JdbcUpsert() {
    }

    /** Standard SQL {@code MERGE} (PostgreSQL 15+, H2). */
    static SqlStatement merge(String table, String keyColumn, List<String> columns) {
        requireRow(table, keyColumn, columns);
        String names = String.join(", ", columns);
        String updates = columns.stream().filter(column -> !column.equals(keyColumn))
                .map(column -> column + " = s." + column).collect(Collectors.joining(", "));
        String sourceValues = columns.stream().map(column -> "s." + column).collect(Collectors.joining(", "));
        String sql = "MERGE INTO " + table + " t USING (VALUES (" + placeholders(columns) + ")) AS s (" + names + ")"
                + " ON t." + keyColumn + " = s." + keyColumn
                + (updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + updates)
                + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + sourceValues + ")";
        return new SqlStatement(sql, columns);
    }

    /**
     * PostgreSQL {@code INSERT … ON CONFLICT (key) DO UPDATE}: the key column must be the primary
     * key or carry a unique index. Chosen over {@code MERGE … USING (VALUES …)} because the
     * insert's own columns type every parameter, so a NULL lands in a timestamp or numeric
     * column without a cast (in a VALUES list an untyped NULL is text).
     */
    static SqlStatement onConflictUpdate(String table, String keyColumn, List<String> columns) {
        requireRow(table, keyColumn, columns);
        String updates = columns.stream().filter(column -> !column.equals(keyColumn))
                .map(column -> column + " = EXCLUDED." + column).collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + placeholders(columns) + ")"
                + " ON CONFLICT (" + keyColumn + ") DO " + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
        return new SqlStatement(sql, columns);
    }

    /**
     * MariaDB/MySQL {@code INSERT … ON DUPLICATE KEY UPDATE}: the key column must be the table's
     * primary key or a unique key (and no other unique key may collide, or that row is updated).
     */
    static SqlStatement onDuplicateKeyUpdate(String table, String keyColumn, List<String> columns) {
        requireRow(table, keyColumn, columns);
        String updates = columns.stream().filter(column -> !column.equals(keyColumn))
                .map(column -> column + " = VALUES(" + column + ")").collect(Collectors.joining(", "));
        // A row of the key alone has nothing to update; assigning the key to itself keeps the statement valid.
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + placeholders(columns) + ")"
                + " ON DUPLICATE KEY UPDATE " + (updates.isEmpty() ? keyColumn + " = " + keyColumn : updates);
        return new SqlStatement(sql, columns);
    }

    public static boolean isIdentifier(String name) {
        return SqlDatabase.isIdentifier(name);
    }

    static String requireIdentifier(String name) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a plain SQL identifier");
        }
        return name;
    }

    private static void requireRow(String table, String keyColumn, List<String> columns) {
        requireIdentifier(table);
        columns.forEach(JdbcUpsert::requireIdentifier);
        if (!columns.contains(keyColumn)) {
            throw new IllegalArgumentException("The row has no value for key column " + keyColumn);
        }
    }

    private static String placeholders(List<String> columns) {
        return columns.stream().map(column -> "?").collect(Collectors.joining(", "));
    }
}
