package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.conflict.ReviewDecision;
import io.syncline.conflict.ReviewResolution;
import io.syncline.inbox.InboxRepository;
import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.sync.SyncGuard;
import io.syncline.sync.SyncNotAppliedException;
import io.syncline.sync.SyncUnit;
import io.syncline.sync.UnitClaim;
import io.syncline.webhook.JsonPayloadParser;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a person's resolution of a held conflict through the normal write path: the held
 * event goes once more, synchronously, through its own apply route (transformer, ID map,
 * idempotent consumer, target match, conflict processor, target write, record state and audit),
 * with the person's decision for each conflicting field.
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
 * idempotency key, and on the state store's database no target row) and the error is kept on
 * the item.
 */
@ApplicationScoped
public class ReviewResolver {

    private static final Logger LOG = Logger.getLogger(ReviewResolver.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** What a resolution wrote. */
    @RegisterForReflection
    public record Resolved(long id, String status, String resolvedBy, String targetSystem, String targetId,
                           String action, Map<String, Object> values) {
    }

    private record HeldEvent(String routeId, String applyEndpoint, String entity, String sourceSystem, String eventId,
                             String payload) {
    }

    private final ReviewQueueAdmin admin;
    private final AgroalDataSource dataSource;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ObjectMapper mapper;

    public ReviewResolver(ReviewQueueAdmin admin, AgroalDataSource dataSource, CamelContext camel, ProducerTemplate producer,
                          ObjectMapper mapper) {
        this.admin = admin;
        this.dataSource = dataSource;
        this.camel = camel;
        this.producer = producer;
        this.mapper = mapper;
    }

    /**
     * @param decisions a decision for each conflicting field of the item, and for no other
     * @throws ReviewItemClosedException         no such item, or no longer open
     * @throws IllegalArgumentException          decisions missing or naming fields not in conflict
     * @throws ReviewResolutionFailedException   nothing written; the item stays open with the error
     */
    public Resolved resolve(long id, Map<String, ReviewDecision> decisions, String resolvedBy) throws SQLException {
        // Whether it is still open is decided by the conditional UPDATE in the write's transaction only.
        ReviewItem item = admin.find(id).orElseThrow(() -> new ReviewItemClosedException(id, "No review item " + id, true));
        if (!ReviewQueueRepository.Kind.conflict.name().equals(item.kind())) {
            throw new ReviewResolutionFailedException(ReviewResolutionFailedException.Reason.NOT_RESOLVABLE,
                    "Review item " + id + " is a " + item.kind() + ": only conflicts are resolved field by field; correct the"
                            + " record at its source (its next change flows again) and discard this item", null);
        }
        checkDecisions(id, conflictFields(id), decisions);
        HeldEvent held = heldEvent(item);
        Exchange exchange = exchange(item, held, new ReviewResolution(id, resolvedBy, decisions));
        producer.send(held.applyEndpoint() + "?block=false", exchange);
        Exception failure = exchange.getException();
        SyncUnit unit = exchange.getProperty(SyncUnit.PROPERTY, SyncUnit.class);
        if (failure == null) {
            LOG.infof("Review item %d resolved by %s: %s %s %s", id, resolvedBy, unit.action().code(), unit.target(),
                    unit.targetId());
            return new Resolved(id, "resolved", resolvedBy, unit.target(), unit.targetId(), unit.action().code(), unit.values());
        }
        if (unit != null) {
            unit.rollback();
        }
        throw failed(id, failure);
    }

    private RuntimeException failed(long id, Exception failure) throws SQLException {
        ReviewItemClosedException closed = find(failure, ReviewItemClosedException.class);
        if (closed != null) {
            return closed;
        }
        boolean changed = find(failure, ConflictHeldException.class) != null || find(failure, SyncNotAppliedException.class) != null
                || find(failure, RecordHeldException.class) != null || find(failure, AmbiguousMatchException.class) != null
                || find(failure, RecordRejectedException.class) != null;
        String message = changed ? "The record changed since it was held, nothing was written: " + failure.getMessage()
                : "The write failed, nothing was written: " + failure.getMessage();
        admin.recordError(id, message);
        LOG.warnf("Resolution of review item %d not written: %s", id, failure.getMessage());
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

    private Exchange exchange(ReviewItem item, HeldEvent held, ReviewResolution resolution) {
        Exchange exchange = new DefaultExchange(camel);
        try {
            exchange.getMessage().setBody(mapper.readValue(held.payload(), OBJECT));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Inbox event " + item.inboxId() + " holds invalid JSON", e);
        }
        exchange.setProperty(InboxRepository.INBOX_ID, item.inboxId());
        exchange.setProperty(InboxRepository.ATTEMPTS, 1);
        exchange.setProperty(InboxRepository.SOURCE_ROUTE, held.routeId());
        exchange.setProperty(InboxRepository.ENTITY, held.entity());
        exchange.setProperty(InboxRepository.SOURCE_SYSTEM, held.sourceSystem());
        exchange.setProperty(InboxRepository.EVENT_ID, held.eventId());
        exchange.setProperty(InboxRepository.ORIGIN, InboxRepository.ORIGIN_WEBHOOK);
        exchange.setProperty(JsonPayloadParser.ORIGINAL_PAYLOAD, held.payload());
        exchange.setProperty(ReviewResolution.PROPERTY, resolution);
        exchange.setProperty(SyncGuard.RUN_ID, resolution.runId());
        exchange.setProperty(SyncGuard.ACTOR, resolution.resolvedBy());
        Map<String, Object> recorded = new LinkedHashMap<>();
        resolution.decisions().forEach((field, decision) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("take", decision.take().name().toLowerCase(java.util.Locale.ROOT));
            if (decision.take() == ReviewDecision.Take.CUSTOM) {
                entry.put("value", decision.value());
            }
            recorded.put(field, entry);
        });
        UnitClaim claim = connection -> admin.claimResolved(connection, item.id(), resolution.resolvedBy(),
                Map.of("fields", recorded));
        exchange.setProperty(UnitClaim.PROPERTY, claim);
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private Set<String> conflictFields(long id) throws SQLException {
        Map<String, Object> context = (Map<String, Object>) admin.payload(id).getOrDefault("context", Map.of());
        Set<String> fields = new TreeSet<>();
        for (Object conflict : (List<Object>) context.getOrDefault("conflicts", List.of())) {
            fields.add(String.valueOf(((Map<String, Object>) conflict).get("field")));
        }
        return fields;
    }

    private static void checkDecisions(long id, Set<String> conflicts, Map<String, ReviewDecision> decisions) {
        Set<String> unknown = new TreeSet<>(decisions.keySet());
        unknown.removeAll(conflicts);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Review item " + id + " has no conflict on " + String.join(", ", unknown)
                    + "; its conflicting fields are " + String.join(", ", conflicts));
        }
        Set<String> missing = new TreeSet<>(conflicts);
        missing.removeAll(decisions.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Decide every conflicting field of review item " + id + "; missing: "
                    + String.join(", ", missing));
        }
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
