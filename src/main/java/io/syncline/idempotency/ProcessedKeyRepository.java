package io.syncline.idempotency;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import io.syncline.store.Sql;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * The idempotent consumer's keys (table {@code processed_key}). Unlike Camel's
 * {@code JdbcMessageIdRepository}, which commits the key in a transaction of its own (so a crash
 * between key and write either loses the event or applies it twice), a key is claimed on the
 * connection that applies the event and commits or rolls back with it.
 */
@ApplicationScoped
@Named("ProcessedKeyRepository")
@RegisterForReflection
public class ProcessedKeyRepository {

    private static final Logger LOG = Logger.getLogger(ProcessedKeyRepository.class);

    private static final String CLAIM = "INSERT INTO processed_key (consumer, source_system, event_key, inbox_id)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String PURGE = "DELETE FROM processed_key WHERE processed_at < ?";

    private final AgroalDataSource dataSource;
    private final Duration retention;
    private final Clock clock = Clock.systemUTC();

    public ProcessedKeyRepository(AgroalDataSource dataSource, SynclineConfig config) {
        this.dataSource = dataSource;
        this.retention = config.idempotency().retention();
    }

    /**
     * Claims the key for {@code consumer}. False when it was claimed before: the event is a
     * duplicate. A concurrent claim of the same key waits on the unique key until this
     * transaction ends, so two workers can never both apply one event.
     */
    public boolean claim(Connection connection, String consumer, String sourceSystem, String eventKey, Long inboxId)
            throws SQLException {
        return Sql.update(connection, CLAIM, Sql.params().text(consumer, sourceSystem, eventKey).object(inboxId)) == 1;
    }

    /**
     * Claims the key with the transaction's other writes: in an apply batch, one round trip for
     * the keys of all its events, sent before the rest of its writes. A key claimed before then
     * fails the batch's flush ({@link io.syncline.store.RowExistsException}), before its commit;
     * the batch is rolled back and each event applied on its own, where {@link #claim} finds
     * that one a duplicate.
     */
    public void claimWith(Writes writes, String consumer, String sourceSystem, String eventKey, Long inboxId)
            throws SQLException {
        writes.writeNew(CLAIM, "event key " + eventKey + " of " + sourceSystem + " for " + consumer,
                Sql.params().text(consumer, sourceSystem, eventKey).object(inboxId));
    }

    /** Forgets keys older than the dedupe window ({@code syncline.idempotency.retention}); returns how many. */
    public int purgeExpired() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement purge = connection.prepareStatement(PURGE)) {
            purge.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
            int purged = purge.executeUpdate();
            LOG.debugf("Purged %d idempotency keys older than %s", purged, retention);
            return purged;
        }
    }

    /**
     * Deletes an applied event's key (a privacy request's erasure: after a re-consent the same
     * record is applied again, not skipped as a duplicate); returns the rows deleted.
     */
    public int delete(Connection connection, String consumer, String sourceSystem, String eventKey) throws SQLException {
        return Sql.update(connection, "DELETE FROM processed_key WHERE consumer = ? AND source_system = ? AND event_key = ?",
                Sql.params().text(consumer, sourceSystem, eventKey));
    }
}
