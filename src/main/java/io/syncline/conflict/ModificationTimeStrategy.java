package io.syncline.conflict;

/**
 * A strategy that decides by the systems' own modification times: the incoming record's
 * {@code modifiedAt} against the target's current value of that field. A tie (the same time, or
 * a side's time unknown) goes to {@link ConflictTies}.
 */
abstract class ModificationTimeStrategy extends NamedStrategy {

    /** @param laterWins whether the later change wins (else the earlier) */
    ModificationTimeStrategy(String name, boolean laterWins) {
        super(name, conflict -> resolve(conflict, laterWins));
    }

    @Override
    public final boolean needsModificationTimes() {
        return true;
    }

    private static ConflictResolution resolve(FieldConflict conflict, boolean laterWins) {
        if (!ConflictTies.ordered(conflict)) {
            return ConflictTies.breakTie(conflict);
        }
        boolean sourceLater = conflict.sourceModifiedAt().isAfter(conflict.targetModifiedAt());
        return sourceLater == laterWins ? ConflictResolution.SOURCE : ConflictResolution.TARGET;
    }
}
