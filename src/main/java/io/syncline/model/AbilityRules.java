package io.syncline.model;

import java.util.Set;

/**
 * Checks that each system's type can do what the model asks of the system: a target of real-time
 * apply must write, each side of a reconciliation must read pages, a backfill must read its source
 * and write its targets, a captured system must capture changes, an erasure that deletes or
 * empties records must erase, a source whose records fetch their missing parents
 * ({@code missingParent: sync}) must fetch a record by its id. A system of an unknown type is reported on its own.
 */
final class AbilityRules {

    private final SystemTypeCatalog types;

    AbilityRules(SystemTypeCatalog types) {
        this.types = types;
    }

    void check(SyncModel model, ProblemReporter problems) {
        model.entities().forEach((entity, definition) -> definition.mappings().forEach((system, mapping) -> {
            String path = "entities." + entity + ".mappings." + system;
            String source = definition.sources().stream().filter(other -> !other.equals(system)).findFirst().orElse(null);
            if (source != null && mapping.writes()) {
                require(model, system, Ability.WRITE, path, problems, entity + " from " + source + " is applied to every other system"
                        + " whose mapping writes fields",
                        "mark its fields direction: in if Syncline only reads " + system
                                + ", or map " + entity + " to a system whose type can write");
            }
            EraseSpec erase = mapping.erase();
            if (erase != null && (erase.mode() == EraseSpec.Mode.HARD || erase.mode() == EraseSpec.Mode.ANONYMISE)) {
                require(model, system, Ability.ERASE, path + ".erase", problems, "erase mode " + erase.mode().code() + " is asked",
                        "say mode: manual (the system's own procedure erases the person)");
            }
        }));
        model.entities().forEach((entity, definition) -> definition.polls().forEach((system, poll) -> {
            require(model, system, Ability.READ_CHANGES, "entities." + entity + ".polls." + system, problems,
                    "polling reads the records changed since the last poll",
                    "give " + system + " a webhook, or reconcile it on a schedule instead");
            if (poll != null && poll.deletes() != null) {
                require(model, system, Ability.READ_PAGES, "entities." + entity + ".polls." + system + ".deletes", problems,
                        "a key diff reads every key of the system", "remove deletes");
            }
        }));
        model.entities()
                .forEach((entity, definition) -> definition.captures().keySet()
                        .forEach(system -> require(model, system, Ability.CAPTURE_CHANGES, "entities." + entity + ".captures." + system, problems,
                                "capture reads the system's own stream of committed changes",
                                "poll " + system + " instead (polls:), or give it a webhook")));
        model.entities().forEach((entity, definition) -> definition.references().forEach((field, reference) -> {
            if (reference.missingParentOrDefault().then() != MissingParentSpec.Then.SYNC) {
                return;
            }
            definition.sources().stream().filter(source -> ReferenceRules.maps(definition, source, field))
                    .forEach(source -> require(model, source, Ability.FETCH, "entities." + entity + ".fields." + field
                            + ".missingParent", problems,
                            "missingParent: sync fetches a missing " + reference.ref() + " from "
                                    + source + ", the source of the " + entity,
                            "write missingParent: review (or empty), or fetch from a system whose type can"));
        }));
        model.reconciliations().forEach((job, definition) -> {
            for (String side : new String[]{"sideA", "sideB"}) {
                String system = side.equals("sideA") ? definition.sideA() : definition.sideB();
                require(model, system, Ability.READ_PAGES, "reconciliations." + job + "." + side, problems,
                        "reconciliation pulls every record of both sides", "reconcile " + system + " against a system whose type can read pages");
            }
        });
        model.backfills().forEach((name, backfill) -> {
            String path = "backfills." + name;
            require(model, backfill.source(), Ability.READ_PAGES, path + ".source", problems,
                    "a backfill reads every record of its source", "backfill from a system whose type can read pages");
            for (String copied : backfill.entityNames()) {
                EntityDefinition entity = model.entities().get(copied);
                if (entity != null && backfill.source() != null) {
                    backfill.targetsIn(entity).forEach(target -> require(model, target, Ability.WRITE, path + ".targets", problems,
                            "a backfill writes its targets", "backfill into systems whose type can write"));
                }
            }
        });
    }

    private void require(SyncModel model, String system, Ability ability, String path, ProblemReporter problems, String why,
            String fix) {
        SystemDefinition definition = system == null ? null : model.systems().get(system);
        Set<Ability> abilities = definition == null || definition.type() == null ? null : types.abilitiesOf(definition.type());
        if (abilities != null && !abilities.contains(ability)) {
            problems.report(path, "system '" + system + "' is of type " + definition.type() + ", which cannot "
                    + ability.label() + " (" + why + ")", fix);
        }
    }
}
