package io.syncline.mapping;

import io.syncline.model.CanonicalField;
import io.syncline.model.FieldMapping;
import io.syncline.model.ProblemReporter;
import io.syncline.model.RequiredPolicy;

/**
 * What a field contract of a list must say (docs/model.md, "Documents with lines"): a list of child
 * records maps its element fields under {@code items} and transforms them there, not the list;
 * {@code items} and {@code json} belong to lists; a line is rejected or defaulted, never held on
 * its own (a person reviews a record, not a line); and a SQL table holds a list only in a JSON
 * column, said with {@code json: true}, or as rows of a child table of their own ({@code rows}).
 */
final class ListContracts {

    private ListContracts() {
    }

    static void check(String at, FieldMapping mapping, CanonicalField canonical, CompiledField.Shape shape, String table,
            ProblemReporter problems) {
        String name = mapping.field();
        if (shape == CompiledField.Shape.RECORDS) {
            if (mapping.items().isEmpty()) {
                problems.report(at, "'" + name + "' is a list of child records, and this mapping maps none of their fields",
                        "add items: [{field: <element field>, path: <its path inside the element>}], one per element field "
                                + "(declared: " + String.join(", ", canonical.items().keySet()) + ")");
            }
            if (!mapping.transforms().isEmpty()) {
                problems.report(at + ".transforms", "transforms of a list of child records apply to its element fields",
                        "move each transform to the item it changes, under items");
            }
            for (int i = 0; i < mapping.items().size(); i++) {
                RequiredPolicy required = mapping.items().get(i).required();
                if (required != null && required.kind() == RequiredPolicy.Kind.HOLD) {
                    problems.report(at + ".items[" + i + "].required", "a line cannot be held for review on its own",
                            "write required: reject (the whole record is rejected, naming the line) or required: {default: <value>}");
                }
            }
        } else if (!mapping.items().isEmpty()) {
            problems.report(at + ".items", "items maps the fields of a list of child records, and '" + name + "' is not one",
                    "declare " + name + " with type: list and its items, or remove items");
        }
        if (shape == CompiledField.Shape.VALUE && mapping.asJson()) {
            problems.report(at + ".json", "json: true is for a list, and '" + name + "' holds one value", "remove json");
        }
        if (mapping.rows() != null) {
            checkRows(at, mapping, canonical, shape, table, problems);
        }
        // a list of references ({@code many: true} with ref) predates json: it is written as JSON text as it is
        if (table != null && (shape == CompiledField.Shape.RECORDS || shape == CompiledField.Shape.VALUES && !canonical.reference())
                && !mapping.asJson() && mapping.rows() == null && mapping.direction().writes()) {
            problems.report(at, "'" + name + "' holds a list, and a column of table " + table + " holds one value",
                    shape == CompiledField.Shape.RECORDS
                            ? "keep the lines in a table of their own, one row a line: rows: {table: <child table>, parent:"
                                    + " <its column holding the key of the " + table + " row>}; or make " + mapping.path()
                                    + " a json or jsonb column and write json: true on this field (the list is written as JSON)"
                            : "make " + mapping.path() + " a json or jsonb column and write json: true on this field (the list is"
                                    + " written as JSON), or leave " + name + " out of this mapping");
        }
    }

    /**
     * Lines as rows of a child table ({@code rows}): a list of child records only, of a SQL table's
     * mapping, not JSON as well, and read back in an order: the list's {@code key}, mapped to a
     * column of the child table, or a {@code position} column. The type checks the SQL names.
     */
    private static void checkRows(String at, FieldMapping mapping, CanonicalField canonical, CompiledField.Shape shape, String table,
            ProblemReporter problems) {
        String name = mapping.field();
        if (shape != CompiledField.Shape.RECORDS) {
            problems.report(at + ".rows", "rows keeps the lines of a list of child records in a table of their own, and '" + name
                    + "' is not one", "declare " + name + " with type: list and its items, or remove rows");
            return;
        }
        if (table == null) {
            problems.report(at + ".rows", "rows names a child table, and this system has no tables",
                    "remove rows and give the list its path in the system's records");
            return;
        }
        if (mapping.asJson()) {
            problems.report(at + ".json", "'" + name + "' is kept in a child table (rows), not in a JSON column",
                    "remove json: true, or remove rows");
        }
        String key = canonical.key();
        if (key == null && mapping.rows().position() == null) {
            problems.report(at + ".rows", "the rows of " + mapping.rows().table() + " have no order of their own, and '" + name
                    + "' has no key to read its lines by",
                    "add position: <column holding a line's place, from 1> to rows,"
                            + " or give the list a key: <the element field that identifies a line>");
        }
        if (key != null && mapping.items().stream().noneMatch(item -> key.equals(item.field()) && item.path() != null)) {
            problems.report(at + ".items", "the rows of " + mapping.rows().table() + " are found by the list's key " + key
                    + ", which this mapping does not map",
                    "add {field: " + key + ", path: <its column in "
                            + mapping.rows().table() + ">} to items");
        }
    }
}
