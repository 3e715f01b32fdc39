package io.syncline.model;

import java.time.Duration;

/**
 * Checks an entity's references ({@code fields: {company: {type: string, ref: company}}}): the
 * referenced entity exists (the entity itself is allowed: a contact's manager is a contact), an id
 * is a string or an integer, {@code missingParent} and {@code onParentErased} belong to a
 * reference, the wait is a positive duration, and every system that maps the field maps the referenced entity,
 * since its id of the parent can only be translated through that entity's links. A parent fetched
 * from a source ({@code missingParent: sync}) is applied by the referenced entity's own route from
 * that source, so that entity must take changes from it too. A list of child records is checked
 * by {@link ListRules}, and each of its element fields that is a reference as a field of its own.
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
            if (field.list() && name.equals(entity.key())) {
                problems.report(at + (field.records() ? ".type" : ".many"), "the entity's key cannot be a list",
                        field.records() ? "key the entity by a field of one value" : "remove many");
            }
            ListRules.check(at, name, field, problems);
            checkField(path, at, name, name, field, entity, model, problems);
            field.items().forEach((item, declared) -> {
                if (declared != null) {
                    checkField(path, at + ".items." + item, name + "." + item, name, declared, entity, model, problems);
                }
            });
        });
        entity.mappings().forEach((system, mapping) -> {
            for (int i = 0; i < mapping.fields().size(); i++) {
                checkExternalId(path + ".mappings." + system + ".fields[" + i + "]", system, mapping.fields().get(i), entity, model,
                        problems);
            }
        });
    }

    /**
     * A reference written by its parent's external id ({@code {field: company, path: Account,
     * externalId: Ext_Id__c}}): a reference to one parent, whose own mapping of the system writes
     * that external id, since its value there is what names the parent. A line's reference is
     * written by its id.
     */
    private static void checkExternalId(String at, String system, FieldMapping mapping, EntityDefinition entity, SyncModel model,
            ProblemReporter problems) {
        for (int j = 0; j < mapping.items().size(); j++) {
            if (mapping.items().get(j).externalId() != null) {
                problems.report(at + ".items[" + j + "].externalId", "a line's reference is written by the parent's id in "
                        + system + ", not by its external id", "remove externalId and map the line's reference to the id's path");
            }
        }
        if (mapping.externalId() == null || mapping.field() == null) {
            return;
        }
        CanonicalField field = entity.fields().get(mapping.field());
        if (field == null || !field.reference()) {
            problems.report(at + ".externalId", "externalId names a parent by its external id, and '" + mapping.field()
                    + "' names no entity", "add ref: <entity> to field " + mapping.field() + ", or remove externalId");
            return;
        }
        if (field.referencesMany()) {
            problems.report(at + ".externalId", "'" + mapping.field() + "' holds a list of " + field.ref()
                    + " ids, and a relationship names one parent", "remove externalId (or many: true)");
            return;
        }
        // the parent is fetched from the source by its id, and a record read this way names it by a value
        if (mapping.direction().reads() && field.missingParentOrDefault().then() == MissingParentSpec.Then.SYNC
                && (entity.webhooks().containsKey(system) || entity.polls().containsKey(system)
                        || entity.captures().containsKey(system))) {
            problems.report(at + ".externalId", "'" + mapping.field() + "' is read from " + system + " as the " + field.ref()
                    + "'s " + mapping.externalId() + ", and missingParent: sync fetches a parent by its id",
                    "let the record wait for its " + field.ref() + " (missingParent: {wait: …}) or be written without it"
                            + " (missingParent: empty), or read the parent by its lookup's id (path: e.g. AccountId, without"
                            + " externalId)");
        }
        EntityDefinition parent = model.entities().get(field.ref());
        SystemMapping parentMapping = parent == null ? null : parent.mappings().get(system);
        if (parentMapping == null) {
            return; // reported above: the parent has no mapping for the system
        }
        boolean written = parentMapping.fields().stream().anyMatch(each -> mapping.externalId().equals(each.path())
                && each.direction().writes());
        if (!written) {
            problems.report(at + ".externalId", "the " + field.ref() + " is named by its " + mapping.externalId() + ", and "
                    + field.ref() + "'s mapping of " + system + " writes no " + mapping.externalId()
                    + ", so Syncline cannot know its value there",
                    "map the " + field.ref() + "'s external id in entities." + field.ref() + ".mappings." + system
                            + " (e.g. {field: id, path: " + mapping.externalId() + "}), or name the parent by its id"
                            + " (path: the lookup field, e.g. AccountId, without externalId)");
        }
    }

    /**
     * One field's reference, or an element field's inside a list of child records.
     *
     * @param label  the field as reasons name it ({@code company}, {@code lines.product})
     * @param mapped the entity's field the mappings map: the field itself, or its list
     */
    private static void checkField(String path, String at, String label, String mapped, CanonicalField field, EntityDefinition entity,
            SyncModel model, ProblemReporter problems) {
        if (!field.reference()) {
            if (field.missingParent() != null) {
                problems.report(at + ".missingParent", "missingParent is for a reference, and '" + label
                        + "' names no entity", "add ref: <entity>, or remove missingParent");
            }
            if (field.onParentErased() != null) {
                problems.report(at + ".onParentErased", "onParentErased is for a reference, and '" + label
                        + "' names no entity", "add ref: <entity>, or remove onParentErased");
            }
            return;
        }
        if (field.records()) {
            problems.report(at + ".ref", "a list of child records names no entity itself, its lines do",
                    "move ref to the element field that holds the id, under items");
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
        checkWait(at + ".missingParent.wait", field.missingParent(), problems);
        if (parent != null) {
            entity.mappings().forEach((system, mapping) -> {
                if (maps(entity, system, mapped) && !parent.mappings().containsKey(system)) {
                    problems.report(path + ".mappings." + system, "'" + label + "' holds " + system + "'s id of a "
                            + field.ref() + ", and " + field.ref() + " has no mapping for " + system
                            + ", so that id can never be linked",
                            "add mappings." + system + " to entity " + field.ref()
                                    + ", or leave " + mapped + " out of this mapping");
                }
            });
            checkSync(at + ".missingParent", entity, mapped, field, parent, problems);
        }
    }

    /** Whether {@code system}'s mapping of the entity holds field {@code name}. */
    static boolean maps(EntityDefinition entity, String system, String name) {
        SystemMapping mapping = entity.mappings().get(system);
        return mapping != null && mapping.fields().stream().anyMatch(mapped -> name.equals(mapped.field()) && mapped.path() != null);
    }

    /** A parent fetched from a source of the entity is applied through the parent entity's route from that source. */
    private static void checkSync(String at, EntityDefinition entity, String name, CanonicalField field, EntityDefinition parent,
            ProblemReporter problems) {
        if (field.missingParentOrDefault().then() != MissingParentSpec.Then.SYNC) {
            return;
        }
        entity.sources().stream().filter(source -> maps(entity, source, name) && !parent.sources().contains(source))
                .forEach(source -> problems.report(at, "missingParent: sync fetches a missing " + field.ref() + " from " + source
                        + " and applies it as " + source + "'s change, but " + field.ref() + " takes no changes from " + source,
                        "give entity " + field.ref() + " webhooks, polls or captures from " + source
                                + ", or write missingParent: review"));
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
