package io.syncline.conflict;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One field changed on both sides since the last sync, to different values.
 *
 * @param lastSynced  the value both sides had after the last sync
 * @param fieldMaster the system that owns the field (its declared owner, else the entity's master)
 * @param resolution  how the strategy decided, once it has
 */
@RegisterForReflection
public record FieldConflict(String entity, String field, String sourceSystem, Object sourceValue, String targetSystem,
                            Object targetValue, Object lastSynced, String fieldMaster, String strategy,
                            ConflictResolution resolution) {

    public FieldConflict decided(String strategyName, ConflictResolution decision) {
        return new FieldConflict(entity, field, sourceSystem, sourceValue, targetSystem, targetValue, lastSynced,
                fieldMaster, strategyName, decision);
    }
}
