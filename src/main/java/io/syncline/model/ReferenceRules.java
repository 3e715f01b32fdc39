package io.syncline.model;

import java.time.Duration;

/**
 * Checks an entity's references ({@code fields: {company: {type: string, ref: company}}}): the
 * referenced entity exists (the entity itself is allowed: a contact's manager is a contact), an id
 * is a string or an integer, {@code many} and {@code missingParent} belong to a reference, the
 * wait is a positive duration, and every system that maps the field maps the referenced entity,
 * since its id of the parent can only be translated through that entity's links.
 */
final class ReferenceRules {

    private ReferenceRules() {
    }

    static void check(String path, EntityDefinition entity, SyncModel model, ProblemReporter problems) {
        entity.fields().forEach((name, field) -> {
            if (field == null) {
                return;
            }
            String at = path + ".fields." + name;
            if (!field.reference()) {
                if (field.many() != null) {
                    problems.report(at + ".many", "many is for a reference, and '" + name + "' names no entity",
                            "add ref: <entity> for a list of ids of that entity's records, or remove many");
                }
                if (field.missingParent() != null) {
                    problems.report(at + ".missingParent", "missingParent is for a reference, and '" + name
                            + "' names no entity", "add ref: <entity>, or remove missingParent");
                }
                return;
            }
            EntityDefinition parent = model.entities().get(field.ref());
            if (parent == null) {
                problems.report(at + ".ref", "unknown entity '" + field.ref() + "'",
                        Suggestions.oneOf(field.ref(), model.entities().keySet()));
            }
            if (field.type() != null && field.type() != CanonicalField.Type.STRING && field.type() != CanonicalField.Type.INTEGER) {
                problems.report(at + ".type", "a reference holds ids, and " + field.type().name().toLowerCase() + " is not an id type",
                        "write type: string (or integer, where every system's ids are whole numbers)");
            }
            if (field.referencesMany() && name.equals(entity.key())) {
                problems.report(at + ".many", "the entity's key cannot be a list of references", "remove many");
            }
            checkWait(at + ".missingParent.wait", field.missingParent(), problems);
            if (parent != null) {
                entity.mappings().forEach((system, mapping) -> {
                    boolean maps = mapping.fields().stream().anyMatch(mapped -> name.equals(mapped.field()) && mapped.path() != null);
                    if (maps && !parent.mappings().containsKey(system)) {
                        problems.report(path + ".mappings." + system, "'" + name + "' holds " + system + "'s id of a "
                                + field.ref() + ", and " + field.ref() + " has no mapping for " + system
                                + ", so that id can never be linked",
                                "add mappings." + system + " to entity " + field.ref()
                                        + ", or leave " + name + " out of this mapping");
                    }
                });
            }
        });
    }

    private static void checkWait(String at, MissingParentSpec spec, ProblemReporter problems) {
        if (spec == null || spec.waitFor() == null) {
            return;
        }
        try {
            Duration wait = Durations.parse(spec.waitFor());
            if (wait.isNegative() || wait.isZero()) {
                problems.report(at, "a record cannot wait " + spec.waitFor() + " for its parent",
                        "give a positive wait, e.g. wait: PT10M; it is an hour when left out");
            }
        } catch (IllegalArgumentException e) {
            problems.report(at, e.getMessage(), "write the longest wait for the parent's link, e.g. wait: PT1H");
        }
    }
}
