package io.syncline.conflict;

/**
 * The later change wins, by the systems' own modification times: the incoming record's
 * {@code modifiedAt} against the target's current value of that field. A tie goes to the
 * field's master ({@link ConflictTies}).
 */
public final class LastWriteWinsStrategy implements ConflictStrategy {

    public static final String NAME = "last-write-wins";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsModificationTimes() {
        return true;
    }

    @Override
    public ConflictResolution resolve(FieldConflict conflict) {
        if (!ConflictTies.ordered(conflict)) {
            return ConflictTies.breakTie(conflict);
        }
        return conflict.sourceModifiedAt().isAfter(conflict.targetModifiedAt()) ? ConflictResolution.SOURCE
                : ConflictResolution.TARGET;
    }
}
