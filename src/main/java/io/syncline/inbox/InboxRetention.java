package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * Purges applied events older than {@code syncline.inbox.retention} from the inbox, which would
 * otherwise keep every payload ever accepted. Only {@code done} events go: pending, held and dead
 * ones are work still to do (a dead letter is replayed from its inbox row), and so is a done event
 * an open review item still refers to. Deleted in batches, so that no statement holds many row
 * locks or runs long beside the workers.
 */
@ApplicationScoped
@Named("InboxRetention")
@RegisterForReflection
public class InboxRetention {

    private static final Logger LOG = Logger.getLogger(InboxRetention.class);

    static final int BATCH = 5_000;

    private final InboxRepository inbox;
    private final Duration retention;
    private final Clock clock;

    @Inject
    public InboxRetention(InboxRepository inbox, SynclineConfig config) {
        this(inbox, config.inbox().retention(), Clock.systemUTC());
    }

    InboxRetention(InboxRepository inbox, Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("syncline.inbox.retention is " + retention
                    + ": it must be positive (how long an applied event stays in the inbox, e.g. 30d)");
        }
        this.inbox = inbox;
        this.retention = retention;
        this.clock = clock;
    }

    /** Deletes the applied events older than the retention; returns how many. */
    public int purgeApplied() throws SQLException {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        int purged = 0;
        int batch;
        do {
            batch = inbox.purgeDone(cutoff, BATCH);
            purged += batch;
        } while (batch == BATCH);
        if (purged > 0) {
            LOG.infof("Purged %d applied inbox events older than %s", purged, retention);
        }
        return purged;
    }
}
