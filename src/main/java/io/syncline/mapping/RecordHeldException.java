package io.syncline.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source record held for a person to look at: a required field under the {@code hold} policy
 * is missing. The canonical record built so far goes to the review queue with the reasons.
 */
public class RecordHeldException extends RuntimeException {

    private final CanonicalRecord record;
    private final List<String> reasons;
    private final List<String> fields;
    private final List<String> computed;

    /**
     * @param fields   the canonical fields that are missing, one reason each
     * @param computed the record's computed fields (constants, expressions)
     */
    public RecordHeldException(CanonicalRecord record, List<String> reasons, List<String> fields, List<String> computed) {
        super(record.entity() + " from " + record.sourceSystem() + " held for review: " + String.join("; ", reasons));
        this.record = record;
        this.reasons = List.copyOf(reasons);
        this.fields = List.copyOf(fields);
        this.computed = List.copyOf(computed);
    }

    /** The canonical record built so far, computed fields included. */
    public CanonicalRecord record() {
        return record;
    }

    /**
     * The record as its source holds it, for a person to read: without the computed fields, which
     * were computed from a record that lacks the held fields (a full name without the missing last
     * name) and are computed again once a person supplies them.
     */
    public CanonicalRecord received() {
        Map<String, Object> given = new LinkedHashMap<>(record.fields());
        given.keySet().removeAll(computed);
        return new CanonicalRecord(record.entity(), record.sourceSystem(), record.sourceId(), given, record.versionHash(),
                record.canonicalId(), record.deleted());
    }

    public List<String> reasons() {
        return reasons;
    }

    /** The policy that held it, as the review item names it. */
    public String policy() {
        return "required: hold";
    }

    /** The held fields: what a person supplies to resolve it. */
    public List<String> fields() {
        return fields;
    }
}
