package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

/**
 * A record that cannot be matched safely in a target: several candidates fit, or the one that
 * fits already belongs to another canonical record. Never merged automatically: it goes to the
 * review queue with the candidates.
 */
public class AmbiguousMatchException extends RuntimeException {

    private final CanonicalRecord record;
    private final String targetSystem;
    private final MatchResult result;

    public AmbiguousMatchException(CanonicalRecord record, String targetSystem, MatchResult result, String reason) {
        super(record.entity() + " " + record.sourceSystem() + ":" + record.sourceId() + " held for review in "
                + targetSystem + ": " + reason);
        this.record = record;
        this.targetSystem = targetSystem;
        this.result = result;
    }

    public CanonicalRecord record() {
        return record;
    }

    public String targetSystem() {
        return targetSystem;
    }

    public MatchResult result() {
        return result;
    }
}
