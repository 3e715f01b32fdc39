package io.syncline.mapping;

import java.util.List;

/**
 * A source record held for a person to look at: a required field under the {@code hold} policy
 * is missing. The canonical record built so far goes to the review queue with the reasons.
 */
public class RecordHeldException extends RuntimeException {

    private final CanonicalRecord record;
    private final List<String> reasons;
    private final List<String> fields;

    /** @param fields the canonical fields that are missing, one reason each */
    public RecordHeldException(CanonicalRecord record, List<String> reasons, List<String> fields) {
        super(record.entity() + " from " + record.sourceSystem() + " held for review: " + String.join("; ", reasons));
        this.record = record;
        this.reasons = List.copyOf(reasons);
        this.fields = List.copyOf(fields);
    }

    public CanonicalRecord record() {
        return record;
    }

    public List<String> reasons() {
        return reasons;
    }

    /** The held fields: what a person supplies to resolve it. */
    public List<String> fields() {
        return fields;
    }
}
