package io.syncline.inbox;

import io.syncline.sync.EventAges;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** When an inbox event was received, from its row: the reference stage's bounded wait starts there. */
@ApplicationScoped
public class InboxEventAges implements EventAges {

    private final InboxRepository rows;

    public InboxEventAges(InboxRepository rows) {
        this.rows = rows;
    }

    @Override
    public Optional<Instant> receivedAt(long inboxId) {
        try {
            return rows.receivedAt(inboxId);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading when inbox event " + inboxId + " was received failed", e);
        }
    }
}
