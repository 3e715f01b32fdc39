package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.rules.RuleHeldException;
import io.syncline.rules.RuleRejectedException;
import io.syncline.sync.SyncNotAppliedException;
import io.syncline.sync.SyncUnit;
import io.syncline.sync.UnitClaim;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a person's resolution of a review item through the normal write path: the held event
 * goes once more, synchronously, through its own apply route (transformer, ID map, idempotent
 * consumer, target match, conflict processor, target write, record state and audit), steered by
 * the person's answer: a decision per conflicting field, a value per held field, or the chosen
 * match. What an answer is, per kind of item, is an {@link ItemResolution}.
 *
 * <p>Why the route and not a new inbox event: the person waits for the answer, and the answer
 * must say whether the write happened; and why the route and not the target stages called from
 * Java: the route is the one place that wires which target, which writer and which stages a
 * record of that entity and source goes through, whatever kind of system the target is.
 *
 * <p>The item is closed by a conditional {@code UPDATE … WHERE status = 'open'} as the first
 * statement of the write's own transaction ({@link UnitClaim}): of two resolutions at once, the
 * second waits for the first's row lock and then finds the item closed. When the write fails,
 * that transaction rolls back whole (item still open, no record state, no audit entry, no
 * idempotency key, no ID map link, and on the state store's database no target row) and the
 * error is kept on the item.
 *
 * <p>A two-way conflict is held once per direction, and a person decides the record once: the
 * other direction's open items are closed in the first write's transaction (so that nobody
 * resolves them differently meanwhile), then each one's own held event goes through its own
 * apply route with the mirrored decisions, in its own transaction, so that both systems end on
 * the decided values, each written and audited as any resolution. If that second write fails,
 * the first stays written and the other item is open again with the error, for a person to
 * retry like any resolution.
 */
@ApplicationScoped
public class ReviewResolver {

    private static final Logger LOG = Logger.getLogger(ReviewResolver.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** What a resolution wrote, and what became of the other direction's items resolved with it. */
    @RegisterForReflection
    public record Resolved(long id, String status, String resolvedBy, String targetSystem, String targetId,
            String action, Map<String, Object> values, List<Related> related) {
    }

    /**
     * An item of the other direction of a two-way conflict, resolved with the same decisions:
     * {@code resolved} with what its write did, or {@code open} again with why it was not
     * written ({@code error} as the API names it, {@code message}).
     */
    @RegisterForReflection
    public record Related(long id, String status, String targetSystem, String targetId, String action,
            Map<String, Object> values, String error, String message) {
    }

    private record HeldEvent(String routeId, String applyEndpoint, String entity, String sourceSystem, String eventId,
            String payload) {
    }

    private final ReviewQueueRepository queue;
    private final AgroalDataSource dataSource;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ObjectMapper mapper;
    private final Map<String, ItemResolution> kinds = new HashMap<>();
    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<HeldEventResolved> resolvedHolds;

    public ReviewResolver(ReviewQueueRepository queue, AgroalDataSource dataSource, CamelContext camel, ProducerTemplate producer,
            ObjectMapper mapper, Instance<ItemResolution> resolutions) {
        this.queue = queue;
        this.dataSource = dataSource;
        this.camel = camel;
        this.producer = producer;
        this.mapper = mapper;
        resolutions.forEach(resolution -> kinds.put(resolution.kind().name(), resolution));
    }

    /**
     * Writes the answer through the item's apply route; in a two-way conflict then each item
     * of the other direction through its own, with the same decisions (see
     * {@link ReviewQueueRepository#claimResolved}): each in its own transaction, so that a failure
     * of the second leaves the first written and the second open with its error.
     *
     * @param body the person's answer, as the kind of item reads it
     * @throws ReviewItemClosedException         no such item, or no longer open
     * @throws IllegalArgumentException          the answer does not fit the item
     * @throws ReviewResolutionFailedException   nothing written; the item stays open with the error
     */
    public Resolved resolve(long id, Map<String, Object> body, String resolvedBy) throws SQLException {
        // Whether it is still open is decided by the conditional UPDATE in the write's transaction only.
        ReviewItem item = queue.find(id).orElseThrow(() -> new ReviewItemClosedException("No review item " + id, true));
        ItemResolution kind = kinds.get(item.kind());
        if (kind == null) {
            throw new ReviewResolutionFailedException(ReviewResolutionFailedException.Reason.NOT_RESOLVABLE,
                    "Review item " + id + " is a " + item.kind() + " item: it has no held event to write; act on the"
                            + " difference in the systems (or re-run the reconciliation) and discard this item",
                    null);
        }
        ItemResolution.Answer answer = kind.read(item, queue.payload(id), body == null ? Map.of() : body, resolvedBy);
        List<Long> relatedIds = answer.mirrored().stream().map(mirrored -> mirrored.item().id()).toList();
        List<Long> closedRelated = new ArrayList<>();
        SyncUnit unit;
        try {
            unit = write(item, answer, resolvedBy,
                    connection -> closedRelated.addAll(queue.claimResolved(connection, item, resolvedBy, answer.recorded(), relatedIds)));
        } catch (ReviewResolutionFailedException e) {
            queue.recordError(id, e.getMessage());
            LOG.warnf("Resolution of review item %d not written: %s", id, e.getMessage());
            throw e;
        }
        LOG.infof("Review item %d resolved by %s: %s %s %s", id, resolvedBy, unit.action().code(), unit.target(),
                unit.targetId());
        List<Related> related = new ArrayList<>();
        for (ItemResolution.Mirrored mirrored : answer.mirrored()) {
            if (closedRelated.contains(mirrored.item().id())) {
                related.add(writeMirrored(item, mirrored, resolvedBy));
            }
        }
        return new Resolved(id, "resolved", resolvedBy, unit.target(), unit.targetId(), unit.action().code(),
                unit.values(), List.copyOf(related));
    }

    /** The other direction's item, closed with {@code item}: its own event with the mirrored decisions, or reopened. */
    private Related writeMirrored(ReviewItem item, ItemResolution.Mirrored mirrored, String resolvedBy) throws SQLException {
        ReviewItem other = mirrored.item();
        ItemResolution.Answer answer = mirrored.answer();
        try {
            SyncUnit unit = write(other, answer, resolvedBy, connection -> queue.confirmResolvedWith(connection, other.id(), item.id(), answer.recorded()));
            LOG.infof("Review item %d resolved by %s with item %d: %s %s %s", other.id(), resolvedBy, item.id(),
                    unit.action().code(), unit.target(), unit.targetId());
            return new Related(other.id(), "resolved", unit.target(), unit.targetId(), unit.action().code(), unit.values(),
                    null, null);
        } catch (ReviewResolutionFailedException e) {
            return reopened(item, other, e.reason().code(), e.getMessage());
        } catch (ReviewItemClosedException e) {
            // Not waiting for this write any more; reopen leaves an item in any other state as it is.
            return reopened(item, other, "conflict", e.getMessage());
        } catch (RuntimeException | SQLException e) {
            // The first write stands whatever happens here: the person must hear of this one's fate.
            LOG.errorf(e, "Writing review item %d with the decisions of item %d failed", other.id(), item.id());
            return reopened(item, other, ReviewResolutionFailedException.Reason.WRITE_FAILED.code(),
                    "The write failed, nothing was written: " + e.getMessage());
        }
    }

    private Related reopened(ReviewItem item, ReviewItem other, String error, String message) throws SQLException {
        queue.reopen(other.id(), item.id(), message);
        LOG.warnf("Review item %d, resolved with item %d, not written and open again: %s", other.id(), item.id(), message);
        String status = queue.find(other.id()).map(ReviewItem::status).orElse("open");
        return new Related(other.id(), status, other.targetSystem(), null, null, null, error, message);
    }

    /**
     * Sends the item's held event through its apply route, steered by the answer, the claim
     * first in its transaction (noted in the audit entry with the answer's note).
     *
     * @throws ReviewItemClosedException       the claim found the item closed
     * @throws ReviewResolutionFailedException nothing written (the transaction rolled back whole)
     */
    private SyncUnit write(ReviewItem item, ItemResolution.Answer answer, String resolvedBy, UnitClaim claim)
            throws SQLException {
        HeldEvent held = heldEvent(item);
        Exchange exchange = exchange(item, held, answer, resolvedBy, claim);
        // an event of a source with several targets was held at one of them: the resolution is
        // that target's, and the targets after it in the fan-out follow from the inbox
        String own = item.targetSystem() == null ? null
                : held.entity() + "-" + held.sourceSystem() + "-to-" + item.targetSystem();
        boolean fannedOut = own != null && !held.applyEndpoint().equals("direct:" + own) && camel.getRoute(own) != null;
        producer.send((fannedOut ? "direct:" + own : held.applyEndpoint()) + "?block=false", exchange);
        Exception failure = exchange.getException();
        SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        if (failure == null) {
            if (fannedOut) {
                resolvedHolds.fire(new HeldEventResolved(item.inboxId(), item.id(), item.targetSystem()));
            }
            return unit;
        }
        if (unit != null) {
            unit.rollback();
        }
        throw failed(failure);
    }

    private static RuntimeException failed(Exception failure) {
        ReviewItemClosedException closed = find(failure, ReviewItemClosedException.class);
        if (closed != null) {
            return closed;
        }
        boolean changed = find(failure, ConflictHeldException.class) != null || find(failure, SyncNotAppliedException.class) != null
                || find(failure, RecordHeldException.class) != null || find(failure, AmbiguousMatchException.class) != null
                || find(failure, RecordRejectedException.class) != null || find(failure, RuleHeldException.class) != null
                || find(failure, RuleRejectedException.class) != null;
        String message = changed ? "The record changed since it was held, nothing was written: " + failure.getMessage()
                : "The write failed, nothing was written: " + failure.getMessage();
        return new ReviewResolutionFailedException(changed ? ReviewResolutionFailedException.Reason.RECORD_CHANGED
                : ReviewResolutionFailedException.Reason.WRITE_FAILED, message, failure);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private Exchange exchange(ReviewItem item, HeldEvent held, ItemResolution.Answer answer, String resolvedBy,
            UnitClaim claim) {
        Exchange exchange = new DefaultExchange(camel);
        try {
            exchange.getMessage().setBody(mapper.readValue(held.payload(), OBJECT));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Inbox event " + item.inboxId() + " holds invalid JSON", e);
        }
        exchange.setProperty(ExchangeContract.INBOX_ID, item.inboxId());
        exchange.setProperty(ExchangeContract.INBOX_ATTEMPTS, 1);
        exchange.setProperty(ExchangeContract.SOURCE_ROUTE, held.routeId());
        exchange.setProperty(ExchangeContract.ENTITY, held.entity());
        exchange.setProperty(ExchangeContract.SOURCE_SYSTEM, held.sourceSystem());
        exchange.setProperty(ExchangeContract.EVENT_ID, held.eventId());
        exchange.setProperty(ExchangeContract.ORIGIN, ExchangeContract.ORIGIN_WEBHOOK);
        exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, held.payload());
        exchange.setProperty(ExchangeContract.RUN_ID, "review-" + item.id());
        exchange.setProperty(ExchangeContract.ACTOR, resolvedBy);
        answer.properties().forEach(exchange::setProperty);
        exchange.setProperty(ExchangeContract.UNIT_CLAIM, new UnitClaim() {

            @Override
            public void claim(Connection connection) throws SQLException {
                claim.claim(connection);
            }

            @Override
            public String note() {
                return answer.note();
            }
        });
        return exchange;
    }

    private HeldEvent heldEvent(ReviewItem item) throws SQLException {
        if (item.inboxId() != null) {
            try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                    "SELECT route_id, apply_endpoint, entity, source_system, event_id, payload FROM inbox WHERE id = ?")) {
                select.setLong(1, item.inboxId());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return new HeldEvent(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getString(6));
                    }
                }
            }
        }
        throw new ReviewResolutionFailedException(ReviewResolutionFailedException.Reason.NOT_RESOLVABLE,
                "Review item " + item.id() + " has no inbox event to apply (inbox id " + item.inboxId() + ")", null);
    }
}
