package io.syncline.conflict;

/**
 * The earlier change wins, by the systems' own modification times: whoever changed the field
 * first keeps it, and a later edit elsewhere does not replace it. A tie goes to the field's
 * master ({@link ConflictTies}).
 */
public final class FirstWriteWinsStrategy implements ConflictStrategy {

    public static final String NAME = "first-write-wins";

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
        return conflict.sourceModifiedAt().isBefore(conflict.targetModifiedAt()) ? ConflictResolution.SOURCE
                : ConflictResolution.TARGET;
    }
}
