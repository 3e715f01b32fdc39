package io.syncline.connector.spi;

import io.syncline.model.EntityDefinition;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.util.SortedMap;
import java.util.TreeMap;

/** A type's way to its mappings in the model in force, so that each type fails alike where the model has none. */
public final class Mappings {

    private Mappings() {
    }

    /** The mapping of {@code entity} for {@code system}; thrown where the model has none (a call from an older model). */
    public static SystemMapping of(SyncModel model, String entity, String system) {
        EntityDefinition definition = model.entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        if (mapping == null) {
            throw new IllegalArgumentException("No mapping of entity '" + entity + "' for system '" + system + "' in the sync model");
        }
        return mapping;
    }

    /** Every mapping of {@code system}, by entity, in entity name order. */
    public static SortedMap<String, SystemMapping> ofSystem(SyncModel model, String system) {
        SortedMap<String, SystemMapping> mappings = new TreeMap<>();
        model.entities().forEach((entity, definition) -> {
            SystemMapping mapping = definition.mappings().get(system);
            if (mapping != null) {
                mappings.put(entity, mapping);
            }
        });
        return mappings;
    }
}
