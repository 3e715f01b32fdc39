package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/** What integrators declare in {@code *.syncline.yaml}: systems, entities and reconciliation jobs, by name. */
@RegisterForReflection
public record SyncModel(Map<String, SystemDefinition> systems, Map<String, EntityDefinition> entities,
                        Map<String, ReconciliationDefinition> reconciliations) {

    public SyncModel {
        systems = systems == null ? Map.of() : systems;
        entities = entities == null ? Map.of() : entities;
        reconciliations = reconciliations == null ? Map.of() : reconciliations;
    }

    public SyncModel(Map<String, SystemDefinition> systems, Map<String, EntityDefinition> entities) {
        this(systems, entities, null);
    }
}
