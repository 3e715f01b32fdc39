package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/** What integrators declare in {@code *.syncline.yaml}: systems and entities, by name. */
@RegisterForReflection
public record SyncModel(Map<String, SystemDefinition> systems, Map<String, EntityDefinition> entities) {

    public SyncModel {
        systems = systems == null ? Map.of() : systems;
        entities = entities == null ? Map.of() : entities;
    }
}
