package io.syncline.model;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a backfill needs to run: an entity, a source that maps it, targets that write it and a
 * filter on its canonical fields; each gap is one located problem with its fix. Whether the
 * systems' types can read and write is {@link AbilityRules}'.
 */
final class BackfillRules {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private BackfillRules() {
    }

    static void check(String path, String name, BackfillDefinition backfill, SyncModel model, ProblemReporter problems) {
        if (!NAME.matcher(name).matches()) {
            problems.report(path, "backfill name '" + name + "' is not kebab-case",
                    "use lower-case letters, digits and '-', e.g. contacts-erp-to-shop");
        }
        if (backfill.entity() != null && !backfill.entities().isEmpty()) {
            problems.report(path, "both entity and entities", "name one entity (entity: contact) or several (entities: [company, contact])");
            return;
        }
        if (backfill.entityNames().isEmpty()) {
            problems.report(path, "no entity", "add entity: <entity>, or entities: [<entity>, …], of " + model.entities().keySet());
            return;
        }
        String entityPath = backfill.entities().isEmpty() ? path + ".entity" : path + ".entities";
        if (backfill.source() == null) {
            problems.report(path, "no source", "add source: <system>, a system that maps " + String.join(", ", backfill.entityNames()));
        }
        Set<String> listed = new HashSet<>();
        boolean known = true;
        for (String entityName : backfill.entityNames()) {
            EntityDefinition entity = model.entities().get(entityName);
            if (entity == null) {
                problems.report(entityPath, "unknown entity '" + entityName + "'", Suggestions.oneOf(entityName, model.entities().keySet()));
                known = false;
            } else if (!listed.add(entityName)) {
                problems.report(entityPath, "'" + entityName + "' is listed twice", "list each entity once");
            } else {
                checkEntity(path, entityName, backfill, entity, problems);
            }
        }
        if (!backfill.entities().isEmpty() && !backfill.filter().isEmpty()) {
            problems.report(path + ".filter", "a filter in a backfill of several entities",
                    "filter a backfill of one entity (entity: <entity>), or leave the filter out");
        }
        if (known && BackfillOrder.of(backfill.entityNames(), model.entities()).isEmpty()) {
            problems.report(entityPath, "the entities name each other in a cycle ("
                    + BackfillOrder.cycle(backfill.entityNames(), model.entities()) + "), so none can be copied first",
                    "give one reference of the cycle missingParent: empty (written empty until its parent is there), or backfill them separately");
        }
        if (backfill.batchSize() != null && (backfill.batchSize() < 1 || backfill.batchSize() > 10_000)) {
            problems.report(path + ".batchSize", "batch size " + backfill.batchSize() + " is out of range", "use 1 to 10000");
        }
        if (backfill.rateLimit() != null && !(backfill.rateLimit() > 0)) {
            problems.report(path + ".rateLimit", "rate limit " + backfill.rateLimit() + " is not positive",
                    "give records per second, e.g. rateLimit: 200, or leave it out");
        }
        checkShare(path + ".maxUpdateShare", backfill.maxUpdateShare(), "e.g. maxUpdateShare: 0.1", problems);
        checkShare(path + ".tolerance", backfill.tolerance(), "e.g. tolerance: 0.01", problems);
    }

    private static void checkEntity(String path, String name, BackfillDefinition backfill, EntityDefinition entity,
            ProblemReporter problems) {
        if (backfill.source() != null && !entity.mappings().containsKey(backfill.source())) {
            problems.report(path + ".source", name + " has no mapping for '" + backfill.source() + "'",
                    Suggestions.oneOf(backfill.source(), entity.mappings().keySet()));
        } else if (backfill.source() != null) {
            checkTargets(path + ".targets", name, backfill, entity, problems);
        }
        Set<String> fields = entity.fields().keySet();
        backfill.filter().keySet().stream().filter(field -> !fields.contains(field))
                .forEach(field -> problems.report(path + ".filter." + field, "'" + field + "' is not a canonical field of " + name,
                        Suggestions.oneOf(field, fields)));
    }

    private static void checkTargets(String path, String name, BackfillDefinition backfill, EntityDefinition entity,
            ProblemReporter problems) {
        Set<String> seen = new HashSet<>();
        for (String target : backfill.targets()) {
            SystemMapping mapping = entity.mappings().get(target);
            if (target.equals(backfill.source())) {
                problems.report(path, "'" + target + "' is the backfill's source", "list the systems it copies into");
            } else if (mapping == null) {
                problems.report(path, name + " has no mapping for '" + target + "'",
                        Suggestions.oneOf(target, entity.mappings().keySet()));
            } else if (!mapping.writes()) {
                problems.report(path, name + "'s mapping for '" + target + "' writes no field",
                        "give it fields Syncline writes, or leave " + target + " out");
            } else if (!seen.add(target)) {
                problems.report(path, "'" + target + "' is listed twice", "list each target once");
            }
        }
        if (backfill.targetsIn(entity).isEmpty()) {
            problems.report(path, "no system to copy " + name + " into",
                    "map " + name + " in a system with fields Syncline writes, or list targets:");
        }
    }

    private static void checkShare(String at, Double value, String example, ProblemReporter problems) {
        if (value != null && (value < 0.0 || value > 1.0)) {
            problems.report(at, value + " is not a share", "use a number from 0.0 to 1.0, " + example);
        }
    }
}
