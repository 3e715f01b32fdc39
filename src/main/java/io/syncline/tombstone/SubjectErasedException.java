package io.syncline.tombstone;

/**
 * A change that would recreate a person an erasure request erased: refused, never retried, and
 * kept without the values it carried (the inbox event's status is {@code refused}).
 */
public class SubjectErasedException extends RuntimeException {

    private final long requestId;

    public SubjectErasedException(String entity, String system, long requestId) {
        super(entity + " from " + system + " refused: the person was erased by privacy request " + requestId
                + " (a re-consent lifts it)");
        this.requestId = requestId;
    }

    public long requestId() {
        return requestId;
    }
}
