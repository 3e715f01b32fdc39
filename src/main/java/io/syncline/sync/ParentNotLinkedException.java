package io.syncline.sync;

import java.time.Instant;

/**
 * A record names a record (its parent) that is not linked yet in the source's or the target's ID
 * map, and may still wait for it (the reference's {@code missingParent.wait}): the event goes back
 * to the inbox, pending and due again at {@link #retryAt()}, the attempt not counted and never a
 * dead letter; its reason (this message) names the parent. Thrown by {@link ReferenceResolver}.
 */
public class ParentNotLinkedException extends RuntimeException {

    /** How an event's reason begins while it waits for its parent: what the waiting gauge counts. */
    public static final String REASON_PREFIX = "waiting for parent: ";

    private final transient Instant retryAt;

    public ParentNotLinkedException(String parent, Instant retryAt, Instant giveUpAt) {
        super(REASON_PREFIX + parent + " (waits until " + giveUpAt + ")");
        this.retryAt = retryAt;
    }

    /** When the event is due again. */
    public Instant retryAt() {
        return retryAt;
    }
}
