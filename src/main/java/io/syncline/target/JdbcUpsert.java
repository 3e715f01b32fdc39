package io.syncline.target;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A parameterised upsert of one row, as standard SQL {@code MERGE} (PostgreSQL 15+, H2).
 * Table and column names come from the model and must be plain identifiers; values are only
 * ever bound as parameters.
 */
public record JdbcUpsert(String sql, List<String> columns) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public static JdbcUpsert of(String table, String keyColumn, List<String> columns) {
        requireIdentifier(table);
        columns.forEach(JdbcUpsert::requireIdentifier);
        if (!columns.contains(keyColumn)) {
            throw new IllegalArgumentException("The row has no value for key column " + keyColumn);
        }
        String names = String.join(", ", columns);
        String placeholders = columns.stream().map(column -> "?").collect(Collectors.joining(", "));
        String updates = columns.stream().filter(column -> !column.equals(keyColumn))
                .map(column -> column + " = s." + column).collect(Collectors.joining(", "));
        String sourceValues = columns.stream().map(column -> "s." + column).collect(Collectors.joining(", "));
        String sql = "MERGE INTO " + table + " t USING (VALUES (" + placeholders + ")) AS s (" + names + ")"
                + " ON t." + keyColumn + " = s." + keyColumn
                + (updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + updates)
                + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + sourceValues + ")";
        return new JdbcUpsert(sql, List.copyOf(columns));
    }

    public static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    private static void requireIdentifier(String name) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a plain SQL identifier");
        }
    }
}
