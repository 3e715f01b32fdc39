package io.syncline.conflict;

/**
 * How timestamp strategies break a tie (the same modification time on both sides, or a side
 * whose time is unknown): the field's master keeps its value; when neither side is the field's
 * master, the system whose name sorts first does. Either way the answer does not depend on
 * which side's event happened to arrive first, so both directions of a two-way sync agree.
 */
final class ConflictTies {

    private ConflictTies() {
    }

    static ConflictResolution breakTie(FieldConflict conflict) {
        return conflict.masterSide(conflict.sourceSystem().compareTo(conflict.targetSystem()) <= 0
                ? ConflictResolution.SOURCE : ConflictResolution.TARGET);
    }

    /** Both times known and different. */
    static boolean ordered(FieldConflict conflict) {
        return conflict.sourceModifiedAt() != null && conflict.targetModifiedAt() != null
                && !conflict.sourceModifiedAt().equals(conflict.targetModifiedAt());
    }
}
