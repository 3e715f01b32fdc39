package io.syncline.conflict;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * One field changed on both sides since the last sync, to different values.
 *
 * @param lastSynced       the value the target held after the last sync
 * @param fieldMaster      the system that owns the field (its declared owner, else the entity's master)
 * @param sourceModifiedAt the incoming change's own modification time (the entity's {@code modifiedAt}); null if unknown
 * @param targetModifiedAt the target's current modification time of the record; null if unknown
 * @param sourceFilled     how many of the fields both sides hold the incoming record has a value in
 *                         (not empty, see {@link MostCompleteStrategy#filled}); the entity's modifiedAt not counted
 * @param targetFilled     the same count for the target's record
 * @param strategy         the strategy that decided it, once one has
 * @param resolution       how the strategy decided, once it has
 */
@RegisterForReflection
public record FieldConflict(String entity, String field, String sourceSystem, Object sourceValue, String targetSystem,
        Object targetValue, Object lastSynced, String fieldMaster, Instant sourceModifiedAt,
        Instant targetModifiedAt, int sourceFilled, int targetFilled, String strategy, ConflictResolution resolution) {

    public FieldConflict decided(String strategyName, ConflictResolution decision) {
        return new FieldConflict(entity, field, sourceSystem, sourceValue, targetSystem, targetValue, lastSynced,
                fieldMaster, sourceModifiedAt, targetModifiedAt, sourceFilled, targetFilled, strategyName, decision);
    }

    /** The side that is the field's master; {@code neither} when a third system is. */
    public ConflictResolution masterSide(ConflictResolution neither) {
        if (targetSystem.equals(fieldMaster)) {
            return ConflictResolution.TARGET;
        }
        return sourceSystem.equals(fieldMaster) ? ConflictResolution.SOURCE : neither;
    }

    /** The system whose value the decision keeps; null for review. */
    public String winner() {
        if (resolution == ConflictResolution.SOURCE) {
            return sourceSystem;
        }
        return resolution == ConflictResolution.TARGET ? targetSystem : null;
    }
}
