package io.syncline.connector.jdbc;

import io.syncline.model.FieldMapping;
import io.syncline.model.ProblemReporter;
import io.syncline.model.RowsSpec;
import io.syncline.model.SystemMapping;

/**
 * What a mapping of a JDBC system must say: the table that holds the entity, the child table of a
 * document's lines kept as rows, and names that can go into SQL text.
 */
final class JdbcMappingRules {

    private JdbcMappingRules() {
    }

    static void check(String path, String entity, SystemMapping mapping, ProblemReporter problems) {
        JdbcMappingSettings jdbc = mapping.settings(JdbcMappingSettings.class, path, problems);
        if (jdbc.table() == null) {
            problems.report(path, "a JDBC system needs the table that holds " + entity, "add table: <table name>");
        }
        // Table and column names end up in SQL text: only plain identifiers are allowed.
        requireIdentifier(path + ".table", jdbc.table(), problems);
        requireIdentifier(path + ".key", mapping.key(), problems);
        if (mapping.delete() != null) {
            requireIdentifier(path + ".delete.column", mapping.delete().column(), problems);
        }
        for (int i = 0; i < mapping.fields().size(); i++) {
            FieldMapping field = mapping.fields().get(i);
            if (field.rows() != null) {
                checkRows(path + ".fields[" + i + "]", field, problems);
            }
        }
    }

    /**
     * A document's lines as rows of a child table: the table and its column that names the parent
     * row are given, and every name (the table, its columns: the parent, the position, each item's
     * path) is a plain identifier, a column of the child table.
     */
    private static void checkRows(String at, FieldMapping field, ProblemReporter problems) {
        RowsSpec rows = field.rows();
        if (rows.table() == null) {
            problems.report(at + ".rows", "rows needs the table that holds the lines of " + field.field(),
                    "add table: <child table>, e.g. rows: {table: order_lines, parent: order_id}");
        }
        if (rows.parent() == null) {
            problems.report(at + ".rows", "rows needs the column of " + (rows.table() == null ? "the child table" : rows.table())
                    + " that holds the key of the document's row",
                    "add parent: <its column>, e.g. rows: {table: order_lines,"
                            + " parent: order_id}");
        }
        requireIdentifier(at + ".rows.table", rows.table(), problems);
        requireIdentifier(at + ".rows.parent", rows.parent(), problems);
        requireIdentifier(at + ".rows.position", rows.position(), problems);
        for (int i = 0; i < field.items().size(); i++) {
            FieldMapping item = field.items().get(i);
            String column = item.path();
            if (column == null) {
                continue; // reported with the contract's paths
            }
            if (!JdbcUpsert.isIdentifier(column)) {
                problems.report(at + ".items[" + i + "].path", "'" + column + "' is not a column of "
                        + (rows.table() == null ? "the child table" : rows.table()) + ": a line's field is one column of its row",
                        "name the column, with letters, digits and _ only");
            } else if (column.equalsIgnoreCase(String.valueOf(rows.parent())) || column.equalsIgnoreCase(String.valueOf(rows.position()))) {
                problems.report(at + ".items[" + i + "].path", "'" + column + "' holds the "
                        + (column.equalsIgnoreCase(String.valueOf(rows.parent())) ? "parent row's key" : "line's position")
                        + ", which Syncline writes itself", "map the line's field to another column");
            }
        }
    }

    private static void requireIdentifier(String path, String name, ProblemReporter problems) {
        if (name != null && !JdbcUpsert.isIdentifier(name)) {
            problems.report(path, "'" + name + "' is not a plain SQL identifier", "use letters, digits and _ only");
        }
    }
}
