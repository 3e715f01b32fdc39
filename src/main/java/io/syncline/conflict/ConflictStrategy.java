package io.syncline.conflict;

/**
 * Decides a field changed on both sides to different values. One implementation per strategy,
 * chosen by {@link #name()}; the default is {@link MasterAlwaysWinsStrategy}.
 */
public interface ConflictStrategy {

    /** The name integrators use for it in the model. */
    String name();

    ConflictResolution resolve(FieldConflict conflict);
}
