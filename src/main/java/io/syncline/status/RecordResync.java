package io.syncline.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.SystemTypes;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.inbox.InboxLookups;
import io.syncline.mapping.FieldPaths;
import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.EntityDefinition;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The sync-before-ship gate's "sync it now": pushes the master's last known values of one
 * record to one system through the normal path. It enqueues an inbox event from the master (in
 * the master's own shape, origin {@code resync}) for the apply route that last carried that
 * entity from the master to that system, so the push is ordered with the record's other events
 * and goes through every stage; then waits, at most {@code syncline.records.sync-wait}, for it
 * to finish. A re-sync is neither stale nor an echo, and pushes the master's value of each field
 * it owns even over an edit made in the target since.
 */
@ApplicationScoped
public class RecordResync {

    /** The pushed event: its inbox id, its status when the wait ended, and its error if it failed. */
    @RegisterForReflection
    public record Outcome(long inboxId, String status, String error) {
    }

    /** The push cannot be made (no master id, no values, no route): the message says why. */
    public static class ResyncNotPossibleException extends RuntimeException {

        public ResyncNotPossibleException(String message) {
            super(message);
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);

    @Inject
    SyncModelRegistry registry;
    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;
    @Inject
    SensitiveValues sensitive;
    @Inject
    InboxEnqueuer inbox;
    @Inject
    InboxLookups events;
    @Inject
    SystemTypes types;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper mapper;
    @Inject
    SynclineConfig config;

    public Outcome push(String entityName, String canonicalId, String system, String requestedBy)
            throws SQLException, InterruptedException {
        CompiledModel model = registry.current();
        RecordTransformer transformer = model.transformer();
        EntityDefinition entity = transformer.entity(entityName);
        String master = entity.master();
        if (master.equals(system)) {
            throw new ResyncNotPossibleException(system + " is the master of " + entityName + "; there is nothing to push to it");
        }
        String masterId = idMap.systemId(entityName, canonicalId, master).orElseThrow(() -> new ResyncNotPossibleException(
                "Syncline knows no " + master + " id of this " + entityName + ": the master never sent it"));
        Map<String, Object> values = masterValues(model, entityName, canonicalId, master, masterId);
        InboxLookups.ApplyRoute route = events.lastApplyRoute(entityName, master, system)
                .orElseThrow(() -> new ResyncNotPossibleException("No apply route has carried a " + entityName + " from " + master + " to "
                        + system + " yet, so there is none to push through"));
        Map<String, Object> payload = transformer.toSystem(entityName, master, values);
        FieldPaths.set(payload, transformer.contract(entityName, master).keyPath(), masterId);
        long inboxId = inbox.enqueue(route.webhookRouteId(), route.applyEndpoint(), entityName, master, masterId,
                "resync-" + UUID.randomUUID(), json(payload), ExchangeContract.ORIGIN_RESYNC, requestedBy);
        Instant deadline = Instant.now().plus(config.records().syncWait());
        InboxLookups.EventStatus status = events.status(inboxId).orElseThrow();
        while (!status.finished() && Instant.now().isBefore(deadline)) {
            // Waiting on a worker of this or another replica: nothing to be notified by but the row.
            Thread.sleep(POLL.toMillis());
            status = events.status(inboxId).orElseThrow();
        }
        return new Outcome(inboxId, status.status(), status.lastError());
    }

    private Map<String, Object> masterValues(CompiledModel model, String entity, String canonicalId, String master,
            String masterId) throws SQLException {
        if (types.readsBack(master)) {
            Optional<Map<String, Object>> live = types.readBack(entity, master, masterId);
            if (live.isPresent()) {
                return live.get();
            }
        }
        Optional<RecordState> state;
        try (Connection connection = dataSource.getConnection()) {
            state = states.find(connection, entity, canonicalId, master, false);
        }
        if (state.isEmpty() || state.get().fieldValues().isEmpty()) {
            throw new ResyncNotPossibleException("Syncline knows none of " + master + "'s values of this " + entity);
        }
        if (state.get().deleted()) {
            throw new ResyncNotPossibleException("The " + entity + " was deleted in " + master + "; there is nothing to push");
        }
        // a sensitive field's digest is no value to push: the master's own value stays where it is
        Map<String, Object> values = new java.util.LinkedHashMap<>(state.get().fieldValues());
        values.keySet().removeAll(sensitive.fields(entity));
        return values;
    }

    private String json(Map<String, Object> payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the re-sync payload as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
