package io.syncline.model;

/**
 * Checks a list field's declaration (docs/model.md, "Documents with lines"): a list of child
 * records ({@code type: list}) declares its element fields under {@code items}, each with a type
 * and none a list itself; its {@code key} is one of them; {@code items} and {@code key} belong to
 * such a list, and {@code many} to a field of one type (a list of values or of references).
 */
final class ListRules {

    private ListRules() {
    }

    static void check(String at, String name, CanonicalField field, ProblemReporter problems) {
        if (!field.records()) {
            if (!field.items().isEmpty()) {
                problems.report(at + ".items", "items declares the fields of a list of child records, and '" + name
                        + "' is not one", "write type: list, or remove items");
            }
            if (field.key() != null) {
                problems.report(at + ".key", "key names the field that identifies a line of a list of child records, and '"
                        + name + "' is not one", "write type: list with items, or remove key");
            }
            return;
        }
        if (field.many() != null) {
            problems.report(at + ".many", "a list of child records is a list already", "remove many");
        }
        if (field.items().isEmpty()) {
            problems.report(at, "'" + name + "' is a list of child records and declares none of their fields",
                    "add items: {product: {type: string, ref: product}, quantity: {type: decimal}}, one entry per field of a line");
        }
        field.items().forEach((item, declared) -> {
            String itemAt = at + ".items." + item;
            if (declared == null || declared.type() == null) {
                problems.report(itemAt, "the element field '" + item + "' has no type",
                        "write {type: string} (or integer, decimal, boolean, date, timestamp)");
            } else if (declared.records()) {
                problems.report(itemAt + ".type", "a line cannot hold lines of its own",
                        "flatten the nested list into fields of the line, or keep it out of the model");
            }
        });
        if (field.key() != null && !field.items().containsKey(field.key())) {
            problems.report(at + ".key", "'" + field.key() + "' is not a field of " + name + "'s items",
                    Suggestions.oneOf(field.key(), field.items().keySet()));
        }
    }
}
