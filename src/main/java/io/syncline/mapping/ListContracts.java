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
 * column, said with {@code json: true}.
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
        // a list of references ({@code many: true} with ref) predates json: it is written as JSON text as it is
        if (table != null && (shape == CompiledField.Shape.RECORDS || shape == CompiledField.Shape.VALUES && !canonical.reference())
                && !mapping.asJson() && mapping.direction().writes()) {
            problems.report(at, "'" + name + "' holds a list, and a column of table " + table + " holds one value",
                    "make " + mapping.path() + " a json or jsonb column and write json: true on this field (the list is"
                            + " written as JSON), or leave " + name + " out of this mapping; child tables for lines are not supported");
        }
    }
}
