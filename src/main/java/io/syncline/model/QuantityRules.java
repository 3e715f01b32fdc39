package io.syncline.model;

import java.util.Set;

/**
 * Checks an entity's quantities ({@code stock: {type: integer, quantity: {floor: 0}}}) and the
 * fields that carry their changes ({@code ordered: {type: integer, decrements: stock}}). A quantity
 * is a number of one value (integer or decimal, no list, no reference), neither the entity's key
 * nor its modification time, never decided by a conflict strategy (changes add up, they do not
 * conflict), and read and written with no transform but a number's own, so that the sum of the
 * changes is the change of the sum. A change field names a quantity of the entity, is a number,
 * and is only read ({@code direction: in}): it says how much changed, and no system holds it.
 */
final class QuantityRules {

    /** The transforms that keep a number's additivity: type coercion and a fixed scale. */
    private static final Set<String> ADDITIVE = Set.of("integer", "decimal", "trim");

    private QuantityRules() {
    }

    static void check(String path, EntityDefinition entity, ProblemReporter problems) {
        entity.fields().forEach((name, field) -> {
            if (field == null) {
                return;
            }
            String at = path + ".fields." + name;
            if (field.isQuantity()) {
                checkQuantity(path, at, name, field, entity, problems);
            }
            if (field.isChange()) {
                checkChange(path, at, name, field, entity, problems);
            }
        });
    }

    private static void checkQuantity(String path, String at, String name, CanonicalField field, EntityDefinition entity,
            ProblemReporter problems) {
        if (!numeric(field)) {
            problems.report(at + ".quantity", "a quantity is synced as changes that add up, and " + name + " is "
                    + (field.list() ? "a list" : field.reference() ? "a reference" : "of type " + typeName(field)),
                    "declare " + name + " type: integer or decimal, of one value, or remove quantity");
        }
        if (name.equals(entity.key()) || name.equals(entity.modifiedAt())) {
            problems.report(at + ".quantity", name + " is the entity's " + (name.equals(entity.key()) ? "key" : "modifiedAt")
                    + ", which is a value, not a quantity", "remove quantity, or make another field the quantity");
        }
        if (field.isChange()) {
            problems.report(at + ".quantity", name + " is a quantity and the change of " + field.changes() + " at once",
                    "keep one of quantity and " + (field.increments() != null ? "increments" : "decrements"));
        }
        if (field.quantity().setFromMaster() && (entity.master() == null || !entity.mappings().containsKey(entity.master()))) {
            problems.report(at + ".quantity.write", "write: master sets the other systems to the master's " + name
                    + ", and the entity has " + (entity.master() == null ? "no master" : "no mapping of its master " + entity.master()),
                    "name the entity's master and map it (the system that holds the true total), or write: changes");
        }
        if (entity.conflict() != null && entity.conflict().fields().containsKey(name)) {
            problems.report(path + ".conflict.fields." + name, name + " is a quantity: its changes add up in every system"
                    + " and never conflict, so no strategy decides it", "remove " + name + " from conflict.fields");
        }
        entity.mappings().forEach((system, mapping) -> {
            for (int i = 0; i < mapping.fields().size(); i++) {
                FieldMapping contract = mapping.fields().get(i);
                if (!name.equals(contract.field())) {
                    continue;
                }
                for (int j = 0; j < contract.transforms().size(); j++) {
                    TransformSpec transform = contract.transforms().get(j);
                    if (transform.name() != null && !ADDITIVE.contains(transform.name())) {
                        problems.report(path + ".mappings." + system + ".fields[" + i + "].transforms[" + j + "]",
                                "'" + transform.name() + "' on quantity " + name + " would not keep its changes adding up",
                                "use only integer or decimal on a quantity, or remove quantity from " + name);
                    }
                }
            }
        });
    }

    private static void checkChange(String path, String at, String name, CanonicalField field, EntityDefinition entity,
            ProblemReporter problems) {
        String key = field.increments() != null ? "increments" : "decrements";
        if (field.increments() != null && field.decrements() != null) {
            problems.report(at + ".decrements", name + " both increments " + field.increments() + " and decrements "
                    + field.decrements(), "keep one of them");
        }
        CanonicalField quantity = entity.fields().get(field.changes());
        if (quantity == null || !quantity.isQuantity()) {
            problems.report(at + "." + key, "'" + field.changes() + "' is not a quantity of this entity",
                    quantity == null ? Suggestions.oneOf(field.changes(), entity.fields().keySet())
                            : "declare " + field.changes() + " with quantity: true");
        }
        if (!numeric(field)) {
            problems.report(at + ".type", name + " is the change of a quantity, and is " + typeName(field),
                    "declare " + name + " type: integer or decimal, of one value");
        }
        entity.mappings().forEach((system, mapping) -> {
            for (int i = 0; i < mapping.fields().size(); i++) {
                FieldMapping contract = mapping.fields().get(i);
                if (name.equals(contract.field()) && contract.direction() != FieldMapping.Direction.IN) {
                    problems.report(path + ".mappings." + system + ".fields[" + i + "].direction", name + " says how much "
                            + field.changes() + " changed in an event; no system holds it to be written",
                            "write direction: in");
                }
            }
        });
    }

    private static boolean numeric(CanonicalField field) {
        return (field.type() == CanonicalField.Type.INTEGER || field.type() == CanonicalField.Type.DECIMAL) && !field.list()
                && !field.reference();
    }

    private static String typeName(CanonicalField field) {
        return field.type() == null ? "of no type" : field.type().name().toLowerCase(java.util.Locale.ROOT);
    }
}
