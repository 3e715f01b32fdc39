package io.syncline.drift;

import java.time.Instant;

/**
 * The mapping of an event (its entity from its source system) is paused by a schema drift
 * ({@link FieldDrift}): the event goes back to the inbox, pending, the attempt not counted and
 * never a dead letter, until an admin accepts the proposed rename or resumes the mapping, which
 * makes it due at once. Thrown by the transformer stage ({@link SchemaWatch}) before anything is
 * claimed or written.
 */
public class MappingPausedException extends RuntimeException {

    /** How the reason of an event that waits for its paused mapping begins: what the waiting counts read. */
    public static final String REASON_PREFIX = "paused by schema drift: ";

    private final String entity;
    private final String system;
    private final transient Instant retryAt;

    public MappingPausedException(String entity, String system, String drift, Instant retryAt) {
        super(REASON_PREFIX + drift);
        this.entity = entity;
        this.system = system;
        this.retryAt = retryAt;
    }

    public String entity() {
        return entity;
    }

    public String system() {
        return system;
    }

    /**
     * When the event is looked at again unless the mapping is resumed first: a safety net, since a
     * resume makes the waiting events due at once.
     */
    public Instant retryAt() {
        return retryAt;
    }
}
