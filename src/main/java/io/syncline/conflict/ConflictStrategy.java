package io.syncline.conflict;

import java.util.Map;

/**
 * Decides a field changed on both sides to different values. One implementation per strategy,
 * chosen by {@link #name()} in the model ({@code conflict: {strategy: …}}); the default is
 * {@link MasterAlwaysWinsStrategy}. See {@link ConflictStrategies}.
 */
public interface ConflictStrategy {

    /** The name integrators use for it in the model. */
    String name();

    ConflictResolution resolve(FieldConflict conflict);

    /** Whether it compares the systems' modification times, so that the entity needs {@code modifiedAt}. */
    default boolean needsModificationTimes() {
        return false;
    }

    /** Whether it decides by the systems' weights, so that every system of the entity needs one ({@code conflict.weights}). */
    default boolean needsWeights() {
        return false;
    }

    /** This strategy as an entity uses it, given that entity's system weights; only asked when it {@link #needsWeights()}. */
    default ConflictStrategy withWeights(Map<String, Integer> weights) {
        return this;
    }

    /**
     * Whether it also decides a field the target already holds a different value of when nothing
     * was synced between the two records before (a record matched to an existing duplicate); the
     * other strategies let the incoming value in, as there is no earlier state to call a change.
     */
    default boolean decidesFirstLink() {
        return false;
    }
}
