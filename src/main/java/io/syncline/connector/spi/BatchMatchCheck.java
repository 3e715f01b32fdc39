package io.syncline.connector.spi;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.matching.RecordMatcher;
import io.syncline.sync.ApplyBatchDependentException;
import io.syncline.sync.SyncUnit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The match stage's check that a batch's events are independent of one another. A batch's
 * events are all matched before any is written ({@link io.syncline.sync.ApplyEvents}), where
 * one at a time each would have been searched for after the ones before it were written. That
 * makes a difference only when an event finds a target row an earlier one writes: the same row,
 * or one the earlier event creates or changes into what the later one's rules find. Such a batch
 * is refused ({@link ApplyBatchDependentException}) and its events applied one at a time.
 *
 * <p>An earlier event's row is taken to hold its current values overlaid with the event's own:
 * what the conflict processor gives the target for a new row, and for a changed one whenever
 * the source's change wins, which is the case that can make a later event match it.
 */
public final class BatchMatchCheck {

    private final Set<String> rows = new HashSet<>();
    private final List<MatchCandidate> written = new ArrayList<>();

    /**
     * Checks the event just matched against the batch's events matched before it.
     *
     * @throws ApplyBatchDependentException it depends on one of them
     */
    public void check(SyncUnit unit, RecordMatcher matcher) {
        check(unit.record(), unit.target(), unit.targetId(), unit.linked(), unit.targetValues(), matcher);
    }

    /**
     * As {@link #check(SyncUnit, RecordMatcher)}: the record matched to {@code row} of the target
     * (null: none, a new row), by the ID map's link or not, the row holding {@code current}.
     */
    public void check(CanonicalRecord record, String target, String row, boolean linked, Map<String, Object> current,
            RecordMatcher matcher) {
        if (row != null && !rows.add(row)) {
            throw new ApplyBatchDependentException(target + " record " + row + " matched by two of them");
        }
        // A record the ID map links is matched by the link, whatever the batch writes before it.
        if (!linked && !record.deleted() && matcher.findsAny(record, target, written)) {
            throw new ApplyBatchDependentException(record.entity() + " " + record.sourceId() + " from "
                    + record.sourceSystem() + " would match what an earlier one writes to " + target);
        }
        Map<String, Object> after = new HashMap<>();
        if (current != null) {
            after.putAll(current);
        }
        after.putAll(record.fields());
        written.add(new MatchCandidate(row != null ? row : "new:" + record.canonicalId(), after));
    }
}
