package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.mapping.CanonicalRecord;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;

/**
 * The repository of the apply templates' {@code idempotentConsumer}: the event's key is claimed
 * in the state-store transaction that will apply it, and that transaction commits with the
 * record state, the audit entry and (for the last target) the inbox event's status done, when
 * the idempotent consumer's steps are done ({@code completionEager: true}). A key kept in a
 * repository of its own would commit apart from the write it stands for: a crash between the two
 * would either lose the event or apply it twice (docs/adr/0002).
 *
 * <ul>
 * <li>{@code add}: {@link SyncGuard#admit} for the route's target (exchange property
 *     {@value ExchangeContract#TARGET}). False for a duplicate, an echo of Syncline's own write or a
 *     stale change, each audited and committed there: the consumer's steps are skipped.</li>
 * <li>{@code confirm}: {@link SyncGuard#commit}; in a fan-out (property {@value ExchangeContract#FAN_OUT}) each
 *     target commits on its own and the inbox marks the event done once all have.</li>
 * <li>{@code remove} (the steps failed): the sync unit is rolled back; the inbox retries, holds or
 *     dead-letters the event.</li>
 * </ul>
 * An exchange carrying a batch's events ({@link ApplyEvents}) is admitted event by event; the
 * steps run when any of them was admitted, each stage working on the admitted ones.
 *
 * <p>Two consumers of this repository may nest: a mapping's own route that keeps the idempotent
 * consumer which apply-route runs around it. The inner one admits what is admitted already; the
 * first to confirm commits, the other finds the unit committed.
 */
@Singleton
@Named("TransactionalIdempotentRepository")
@RegisterForReflection
public class TransactionalIdempotentRepository implements IdempotentRepository {

    @Inject
    SyncGuard guard;

    /**
     * The idempotent consumer's message id: the sender's event id, else the source record's id
     * and version hash ({@code batch of n} for a batch, whose events each have theirs).
     */
    public String keyOf(Exchange exchange) throws Exception {
        if (ApplyEvents.batch(exchange)) {
            return "batch of " + ApplyEvents.all(exchange).size();
        }
        String eventId = exchange.getProperty(ExchangeContract.EVENT_ID, String.class);
        if (eventId != null) {
            return "event:" + eventId;
        }
        CanonicalRecord record = exchange.getMessage().getMandatoryBody(CanonicalRecord.class);
        return "version:" + record.sourceId() + ":" + record.versionHash();
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        if (exchange.getProperty(ExchangeContract.SYNC_UNIT) != null) {
            // admitted already by the consumer this one runs in (a mapping's own route keeping
            // the stage that apply-route runs around it): one claim, committed once
            return true;
        }
        try {
            guard.admit(RouteContext.require(exchange, ExchangeContract.TARGET), exchange);
        } catch (Exception e) {
            // as thrown, unwrapped: the inbox tells a retryable failure from a permanent one by its type
            throw SyncGuard.<RuntimeException>rethrow(e);
        }
        return SyncGuard.APPLY.equals(exchange.getProperty(ExchangeContract.VERDICT));
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        // Called back by the idempotent consumer once its steps are done: a failed commit must
        // fail the exchange (so the event is retried), not escape from the callback.
        if (committed(exchange)) {
            return true; // by a consumer nested in this one, or around it
        }
        try {
            if (Boolean.TRUE.equals(exchange.getProperty(ExchangeContract.FAN_OUT, Boolean.class))) {
                guard.commitTarget(exchange);
            } else {
                guard.commit(exchange);
            }
            return true;
        } catch (Exception e) {
            exchange.setException(e);
            return false;
        }
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        if (!ApplyEvents.batch(exchange)) {
            // A batch's failure is the batch's to roll back (InboxBatches), with its cause.
            SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
            if (unit != null) {
                unit.rollback();
            }
        }
        return true;
    }

    /** Whether the exchange's one event was committed already: two consumers of this repository nest. */
    private static boolean committed(Exchange exchange) {
        SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        return unit != null && !unit.isOpen();
    }

    @Override
    public void start() {
        // nothing to start: the keys live in the state store
    }

    @Override
    public void stop() {
        // nothing to stop
    }

    @Override
    public boolean add(String key) {
        throw unsupported();
    }

    @Override
    public boolean contains(String key) {
        throw unsupported();
    }

    @Override
    public boolean remove(String key) {
        throw unsupported();
    }

    @Override
    public boolean confirm(String key) {
        throw unsupported();
    }

    @Override
    public void clear() {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("TransactionalIdempotentRepository works on an exchange's sync unit:"
                + " use it as an idempotentConsumer's repository with eager: true and completionEager: true");
    }
}
