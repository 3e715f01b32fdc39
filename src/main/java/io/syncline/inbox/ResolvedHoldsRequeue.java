package io.syncline.inbox;

import io.syncline.review.HeldEventResolved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Puts a held event back in the inbox once a person resolved it at the target it was held at
 * ({@link HeldEventResolved}): a fan-out stops at its first held target, and the targets after it
 * are applied now, each deciding as for any event (another hold makes another review item).
 */
@ApplicationScoped
public class ResolvedHoldsRequeue {

    private final InboxRepository inbox;

    public ResolvedHoldsRequeue(InboxRepository inbox) {
        this.inbox = inbox;
    }

    void requeue(@Observes HeldEventResolved resolved) throws SQLException {
        if (resolved.inboxId() != null) {
            inbox.retryLater(resolved.inboxId(), Duration.ZERO, "review item " + resolved.itemId() + " resolved at "
                    + resolved.target() + ": the event's other targets follow");
        }
    }
}
