package io.syncline.conflict;

import java.util.Collection;
import java.util.Map;

/**
 * The most complete record wins, field by field, for duplicates of one customer kept in several
 * systems: a value beats an empty one (null, a blank string, an empty list or object); between
 * two values, the side whose record has more fields filled keeps the field (both records counted
 * over the fields both hold, the {@code modifiedAt} field not counted); between records as
 * complete as each other, the later change by the systems' modification times; when those are
 * equal or unknown, {@link ConflictTies}. It also merges a record matched to an existing
 * duplicate, before anything was synced between the two ({@link #decidesFirstLink()}).
 */
public final class MostCompleteStrategy extends NamedStrategy {

    public static final String NAME = "most-complete";

    public MostCompleteStrategy() {
        super(NAME, MostCompleteStrategy::decide);
    }

    @Override
    public boolean decidesFirstLink() {
        return true;
    }

    /** Whether a value counts as given: not null, not a blank string, not an empty list or object. */
    public static boolean filled(Object value) {
        if (value instanceof CharSequence text) {
            return !text.toString().isBlank();
        }
        if (value instanceof Collection<?> items) {
            return !items.isEmpty();
        }
        if (value instanceof Map<?, ?> object) {
            return !object.isEmpty();
        }
        return value != null;
    }

    private static ConflictResolution decide(FieldConflict conflict) {
        boolean source = filled(conflict.sourceValue());
        if (source != filled(conflict.targetValue())) {
            return source ? ConflictResolution.SOURCE : ConflictResolution.TARGET;
        }
        if (conflict.sourceFilled() != conflict.targetFilled()) {
            return conflict.sourceFilled() > conflict.targetFilled() ? ConflictResolution.SOURCE : ConflictResolution.TARGET;
        }
        if (!ConflictTies.ordered(conflict)) {
            return ConflictTies.breakTie(conflict);
        }
        return conflict.sourceModifiedAt().isAfter(conflict.targetModifiedAt()) ? ConflictResolution.SOURCE
                : ConflictResolution.TARGET;
    }
}
