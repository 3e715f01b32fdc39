package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a SQL table's mapping keeps a document's lines when they are rows of a table of their own
 * ({@code rows:} on a field contract of a {@code type: list} field): one row a line in {@code table},
 * whose {@code parent} column holds the key of the document's row (its foreign key), and, where
 * the lines' order is not given by the list's {@code key}, their place (1, 2, …) in the column
 * {@code position}. The line's fields are the row's other columns, as its {@code items} map them.
 *
 * @param table    the child table ({@code order_lines})
 * @param parent   its column that holds the parent row's key ({@code order_id})
 * @param position its column that holds a line's place in the document, from 1; none: no such column
 */
@RegisterForReflection
public record RowsSpec(String table, String parent, String position) {
}
