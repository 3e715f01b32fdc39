package io.syncline.conflict;

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
}
