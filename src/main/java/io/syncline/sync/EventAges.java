package io.syncline.sync;

import java.time.Instant;
import java.util.Optional;

/**
 * When an inbox event was received, for the reference stage's bounded wait: a record waits for
 * its parent at most its reference's {@code missingParent.wait} after its event came in. The
 * inbox implements it (so that this package needs nothing of the inbox's).
 */
public interface EventAges {

    /** When inbox event {@code inboxId} was received; empty for one the inbox does not have. */
    Optional<Instant> receivedAt(long inboxId);
}
