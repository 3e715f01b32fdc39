package io.syncline.inbox;

import io.syncline.audit.AuditEntry;
import io.syncline.config.SynclineConfig;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.drift.MappingPausedException;
import io.syncline.exchange.ExchangeContract;
import io.syncline.failure.PermanentFailure;
import io.syncline.failure.TargetPausedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.mapping.RecordHeldException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.review.ReviewQueueSteps;
import io.syncline.rules.RuleHeldException;
import io.syncline.store.StoreOutage;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ParentNotLinkedException;
import io.syncline.sync.SyncUnit;
import io.syncline.tombstone.SubjectErasedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides what becomes of an inbox event whose processing failed. Nothing is dropped:
 * a permanent failure ({@link PermanentFailure}: a rejected record, a write the target refused,
 * a data error of the database, a rule's reject) is a dead letter at once (retrying cannot help); a held or ambiguous one (a
 * rule's hold among them) goes to the review queue; anything else (a database or
 * API that is down, a 429 or 5xx) is retried with exponential backoff and jitter, no earlier
 * than the target's {@code Retry-After}, and becomes a dead letter after the last attempt; a
 * target that takes nothing until a given time ({@link TargetPausedException}: a spent daily
 * budget) keeps the event pending until then, the attempt not counted, as does a record that waits
 * for a record it names to be linked ({@link ParentNotLinkedException}), or for its mapping, paused by
 * a schema drift, to be resumed ({@link MappingPausedException}). A
 * change that would recreate an erased person is refused: kept as {@code refused}, without its payload.
 */
@ApplicationScoped
@Named("InboxFailureProcessor")
public class InboxFailureProcessor {

    private static final Logger LOG = Logger.getLogger(InboxFailureProcessor.class);

    @Inject
    Inbox inbox;
    @Inject
    DeadLetterRepository deadLetters;
    @Inject
    ReviewQueueSteps reviewQueue;
    @Inject
    SynclineConfig config;
    @Inject
    FailureOutcome outcome;
    @Inject
    InboxBatches batches;
    @Inject
    StrandedClaims stranded;
    private final TargetRetryWarnings targetWarnings = new TargetRetryWarnings();

    public void handle(Exchange exchange) throws Exception {
        Exception cause = unwrapped(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        try {
            decide(exchange, cause);
        } catch (SQLException | RuntimeException e) {
            if (!StoreOutage.isOutage(e)) {
                throw e;
            }
            // The state store went away while the failure was recorded: nothing was. The event is
            // released before the dispatcher's next claim, once the store answers, rather than after
            // its lease. The store's probe reports the outage once (io.syncline.store.StateStoreProbe);
            // a stack trace per event would only bury it.
            Long inboxId = exchange.getProperty(ExchangeContract.INBOX_ID, Long.class);
            if (inboxId != null && ApplyBatch.of(exchange) == null) {
                // a batch's events are each applied again on their own, and stranded there if need be
                stranded.strand(inboxId, exchange.getProperty(ExchangeContract.INBOX_ATTEMPTS, 1, Integer.class));
            }
            LOG.debugf("Inbox event %s: its failure could not be recorded, the state store is unreachable: %s",
                    inboxId, e.getMessage());
        }
    }

    private void decide(Exchange exchange, Exception cause) throws Exception {
        if (cause != null) {
            // The dead letter and the review item keep the failure itself.
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        }
        // In a batch nothing is decided here: the batch is rolled back, and each of its events
        // applied again on its own, this one with the retries, review queue and dead letters below
        // (or, where the target asked to wait, all put back together: InboxBatches.end).
        ApplyBatch batch = ApplyBatch.of(exchange);
        if (batch != null) {
            batches.aborted(exchange, batch, cause);
        }
        // Whatever the apply route had begun in the state store is undone before anything else.
        SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        if (unit != null) {
            unit.rollback();
        }
        if (batch != null) {
            return;
        }
        String reason = cause == null ? "unknown failure" : cause.getMessage();
        Long inboxId = exchange.getProperty(ExchangeContract.INBOX_ID, Long.class);
        if (inboxId == null) {
            // The claim itself failed (the state store is down or restarting): no event was taken,
            // so there is nothing to retry; the next poll tries again. A lost connection is the
            // store's, whatever its probe has seen yet: the probe reports an outage once.
            if (StoreOutage.isOutage(cause)) {
                LOG.debugf("Polling the inbox failed, the state store is unreachable: %s", reason);
            } else {
                LOG.warnf("Polling the inbox failed: %s", reason);
            }
            return;
        }
        long id = inboxId;
        int attempts = exchange.getProperty(ExchangeContract.INBOX_ATTEMPTS, 1, Integer.class);
        // An outcome is audited before its event leaves the open statuses: whoever waits for the event
        // to be settled (a backfill run counting what became of its events) then finds its entry, and
        // a crash between the two audits the outcome again when the event is retried, not never.
        if (cause instanceof SubjectErasedException) {
            // The person was erased: nothing is applied, and the event keeps no value it carried.
            outcome.record(exchange, unit, AuditEntry.Action.REFUSED, reason);
            inbox.refuse(id, reason);
        } else if (PermanentFailure.isPermanent(cause)) {
            deadLetters.store(exchange);
            outcome.record(exchange, unit, AuditEntry.Action.FAILED, reason);
            inbox.finish(id, "dead", reason);
        } else if (cause instanceof RecordHeldException || cause instanceof AmbiguousMatchException
                || cause instanceof ConflictHeldException || cause instanceof RuleHeldException) {
            reviewQueue.hold(exchange);
            outcome.record(exchange, unit, AuditEntry.Action.HELD, reason);
            inbox.finish(id, "held", reason);
        } else if (cause instanceof ParentNotLinkedException waiting) {
            // Parents before children: the record names one not linked yet. It waits, pending, its
            // reason naming the parent; the wait is no attempt, and ordering alone is never a dead letter.
            LOG.debugf("Inbox event %d waits until %s: %s", id, waiting.retryAt(), reason);
            inbox.waitUntil(id, waiting.retryAt(), reason);
        } else if (cause instanceof MappingPausedException paused) {
            // A field the mapping needs vanished or changed type: the event waits for an admin's
            // decision, pending and never rejected; resuming the mapping makes it due at once.
            LOG.debugf("Inbox event %d waits for its mapping: %s", id, reason);
            inbox.waitWhilePaused(id, paused.entity(), paused.system(), paused.retryAt(), reason);
        } else if (cause instanceof TargetPausedException paused) {
            // A spent daily budget: the event waits, pending, until the target takes calls again;
            // the wait is no attempt, so that it cannot make the event a dead letter.
            LOG.debugf("Inbox event %d waits until %s: %s", id, paused.until(), reason);
            inbox.waitUntil(id, paused.until(), reason);
        } else if (attempts >= config.inbox().maxAttempts()) {
            LOG.errorf(cause, "Inbox event %d failed %d times; it is now a dead letter", id, attempts);
            deadLetters.store(exchange);
            outcome.record(exchange, unit, AuditEntry.Action.FAILED, reason);
            inbox.finish(id, "dead", reason);
        } else {
            Duration delay = retryDelay(backoff(attempts), cause, config.inbox().maxRetryDelay());
            // An unreachable state store is reported once by its probe, not for every event it holds up;
            // a target that cannot be reached once a minute, with the first of its events retried.
            Logger.Level level = storeAway(cause) ? Logger.Level.DEBUG
                    : cause instanceof TargetUnavailableException unavailable && unavailable.system() != null
                            ? targetWarnings.level(unavailable.system())
                    : Logger.Level.WARN;
            LOG.logf(level,
                    "Inbox event %d failed (attempt %d of %d), retrying in %d ms: %s", id, attempts,
                    config.inbox().maxAttempts(), delay.toMillis(), reason);
            inbox.retryLater(id, delay, reason);
        }
    }

    /**
     * Whether {@code cause} is the state store's lost connection: a connection failure that no
     * target claims (a JDBC or REST target that cannot be reached says so,
     * {@link TargetUnavailableException}). The store's probe reports its outages once.
     */
    private static boolean storeAway(Exception cause) {
        return StoreOutage.isOutage(cause) && !(cause instanceof TargetUnavailableException);
    }

    /**
     * The failure itself, not the recipient list's report of it: an event of a source with several
     * targets fails inside the fan-out's recipient list, which wraps what failed in a
     * {@link CamelExchangeException}, and a rejected record must still be a dead letter at once.
     */
    public static Exception unwrapped(Exception caught) {
        Exception cause = caught;
        while (cause instanceof CamelExchangeException && cause.getCause() instanceof Exception inner) {
            cause = inner;
        }
        return cause;
    }

    /**
     * The backoff, or the wait the target asked for ({@code Retry-After}) when that is longer;
     * never more than {@code max} for the asked wait, so that a far-off date cannot park an event.
     */
    static Duration retryDelay(Duration backoff, Exception cause, Duration max) {
        if (cause instanceof TargetUnavailableException unavailable && unavailable.retryAfter().isPresent()) {
            Duration asked = unavailable.retryAfter().get();
            Duration honoured = asked.compareTo(max) > 0 ? max : asked;
            return honoured.compareTo(backoff) > 0 ? honoured : backoff;
        }
        return backoff;
    }

    /** retryDelay x 2^(attempts-1), capped, with ±20 % jitter so that retries of many events spread out. */
    Duration backoff(int attempts) {
        long base = config.inbox().retryDelay().toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(base, config.inbox().maxRetryDelay().toMillis());
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (capped * jitter));
    }
}
