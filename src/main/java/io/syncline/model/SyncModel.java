package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/** What integrators declare in {@code *.syncline.yaml}: systems, entities, reconciliation jobs and backfills, by name. */
@RegisterForReflection
public record SyncModel(Map<String, SystemDefinition> systems, Map<String, EntityDefinition> entities,
        Map<String, ReconciliationDefinition> reconciliations, Map<String, BackfillDefinition> backfills) {

    public SyncModel {
        systems = systems == null ? Map.of() : systems;
        entities = entities == null ? Map.of() : entities;
        reconciliations = reconciliations == null ? Map.of() : reconciliations;
        backfills = backfills == null ? Map.of() : backfills;
    }

    public SyncModel(Map<String, SystemDefinition> systems, Map<String, EntityDefinition> entities,
            Map<String, ReconciliationDefinition> reconciliations) {
        this(systems, entities, reconciliations, null);
    }

    public SyncModel(Map<String, SystemDefinition> systems, Map<String, EntityDefinition> entities) {
        this(systems, entities, null);
    }
}
