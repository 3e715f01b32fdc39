package io.syncline.conflict;

import io.syncline.mapping.CanonicalRecord;

import java.util.List;

/** A strategy sent conflicting fields to a person: the change waits in the review queue, nothing written. */
public class ConflictHeldException extends RuntimeException {

    private final transient CanonicalRecord record;
    private final transient List<FieldConflict> conflicts;

    public ConflictHeldException(CanonicalRecord record, List<FieldConflict> conflicts) {
        super(conflicts.size() + " field(s) of " + record.entity() + " " + record.sourceId() + " changed on both "
                + record.sourceSystem() + " and " + conflicts.get(0).targetSystem() + ": "
                + String.join(", ", conflicts.stream().map(FieldConflict::field).toList()));
        this.record = record;
        this.conflicts = List.copyOf(conflicts);
    }

    public CanonicalRecord record() {
        return record;
    }

    public List<FieldConflict> conflicts() {
        return conflicts;
    }

    public String targetSystem() {
        return conflicts.get(0).targetSystem();
    }

    /** The strategies that sent the fields to review, comma-separated. */
    public String strategies() {
        return String.join(", ", conflicts.stream().map(FieldConflict::strategy).distinct().toList());
    }
}
