package io.syncline.conflict;

/**
 * A strategy that decides by the systems' own modification times: the incoming record's
 * {@code modifiedAt} against the target's current value of that field. A tie (the same time, or
 * a side's time unknown) goes to {@link ConflictTies}.
 */
abstract class ModificationTimeStrategy implements ConflictStrategy {

    /** Whether the later change wins (else the earlier). */
    abstract boolean laterWins();

    @Override
    public final boolean needsModificationTimes() {
        return true;
    }

    @Override
    public final ConflictResolution resolve(FieldConflict conflict) {
        if (!ConflictTies.ordered(conflict)) {
            return ConflictTies.breakTie(conflict);
        }
        boolean sourceLater = conflict.sourceModifiedAt().isAfter(conflict.targetModifiedAt());
        return sourceLater == laterWins() ? ConflictResolution.SOURCE : ConflictResolution.TARGET;
    }
}
