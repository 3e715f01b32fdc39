package io.syncline.connector.jdbc;

import java.util.List;

/**
 * A parameterised SQL statement for a JDBC target: {@code columns} names the column whose value
 * each {@code ?} takes, in order. Identifiers in {@code sql} were checked as plain identifiers;
 * values are only ever bound.
 */
public record SqlStatement(String sql, List<String> columns) {

    public SqlStatement {
        columns = List.copyOf(columns);
    }
}
