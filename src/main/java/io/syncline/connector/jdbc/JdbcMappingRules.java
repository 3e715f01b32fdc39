package io.syncline.connector.jdbc;

import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemMapping;

/** What a mapping of a JDBC system must say: the table that holds the entity, and names that can go into SQL text. */
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
    }

    private static void requireIdentifier(String path, String name, ProblemReporter problems) {
        if (name != null && !JdbcUpsert.isIdentifier(name)) {
            problems.report(path, "'" + name + "' is not a plain SQL identifier", "use letters, digits and _ only");
        }
    }
}
