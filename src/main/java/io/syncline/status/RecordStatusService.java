package io.syncline.status;

import io.agroal.api.AgroalDataSource;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.inbox.InboxLookups;
import io.syncline.mapping.CanonicalValues;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.TransformContext;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.EntityDefinition;
import io.syncline.review.ReviewItem;
import io.syncline.review.ReviewQueueRepository;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where one record stands in every system: its ids (ID map), what Syncline last synced to each
 * (record state: when, in which run, which version, who set each field), its values there, and
 * whether each system is current with the master: every field Syncline writes to it equals the
 * value its master holds (the field's owner, else the entity's master), no change of the master
 * is still waiting in the inbox (one waiting for a parent's link names the parent), and no review
 * item holds a change for it.
 *
 * <p>A JDBC system's values are read from the system itself, so that an edit made there behind
 * Syncline's back shows; a REST system's are what Syncline last knew (its record state).
 */
@ApplicationScoped
public class RecordStatusService {

    /** The record was never seen by Syncline, under that id. */
    public static class UnknownRecordException extends RuntimeException {

        public UnknownRecordException(String message) {
            super(message);
        }
    }

    @Inject
    SyncModelRegistry registry;
    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;
    @Inject
    SensitiveValues sensitive;
    @Inject
    ReviewQueueRepository reviews;
    @Inject
    InboxLookups inbox;
    @Inject
    SystemTypes types;
    @Inject
    AgroalDataSource dataSource;

    /**
     * @param id the canonical id, or with {@code idSystem} that system's own id
     * @throws IllegalArgumentException unknown entity or system
     * @throws UnknownRecordException   no such record
     */
    public RecordStatus status(String entityName, String id, String idSystem) throws SQLException {
        CompiledModel model = registry.current();
        EntityDefinition entity = model.transformer().entity(entityName);
        if (entity == null) {
            throw new IllegalArgumentException("Unknown entity '" + entityName + "'; the model declares "
                    + model.model().entities().keySet());
        }
        if (idSystem != null) {
            requireSystem(entityName, entity, idSystem);
        }
        String canonicalId = idSystem == null ? id : idMap.canonicalId(entityName, idSystem, id)
                .orElseThrow(() -> new UnknownRecordException("No " + entityName + " with " + idSystem + " id " + id));
        Map<String, String> ids = idMap.systemIds(entityName, canonicalId);
        Map<String, RecordState> byState = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            states.findAll(connection, entityName, canonicalId).forEach(state -> byState.put(state.system(), state));
        }
        if (ids.isEmpty() && byState.isEmpty()) {
            throw new UnknownRecordException("No " + entityName + " with canonical id " + canonicalId);
        }
        List<ReviewItem> open = reviews.openFor(entityName, canonicalId, ids);
        Map<String, Values> values = new TreeMap<>();
        for (String system : entity.mappings().keySet()) {
            values.put(system, values(model, entityName, system, ids.get(system), byState.get(system)));
        }
        Map<String, SystemStatus> systems = new LinkedHashMap<>();
        for (String system : entity.mappings().keySet()) {
            systems.put(system, systemStatus(model.transformer(), entityName, entity, system, ids, byState, values, open));
        }
        return new RecordStatus(entityName, canonicalId, entity.master(), systems, open, Instant.now());
    }

    /**
     * Whether {@code system} is current with the master, with the reasons when it is not.
     *
     * @throws IllegalArgumentException the system does not hold the entity
     */
    public SystemStatus of(RecordStatus status, String system) {
        SystemStatus found = status.systems().get(system);
        if (found == null) {
            throw new IllegalArgumentException("System '" + system + "' does not hold " + status.entity() + "; systems: "
                    + new java.util.TreeSet<>(status.systems().keySet()));
        }
        return found;
    }

    private void requireSystem(String entityName, EntityDefinition entity, String system) {
        if (!entity.mappings().containsKey(system)) {
            throw new IllegalArgumentException("System '" + system + "' does not hold " + entityName + "; systems: "
                    + new java.util.TreeSet<>(entity.mappings().keySet()));
        }
    }

    private record Values(Map<String, Object> fields, String from) {
    }

    private Values values(CompiledModel model, String entity, String system, String systemId, RecordState state)
            throws SQLException {
        if (systemId != null && types.readsBack(system)) {
            Optional<Map<String, Object>> live = types.readBack(entity, system, systemId);
            // a sensitive field's value is shown as its digest, as the state holds it
            return new Values(live.map(found -> sensitive.seal(entity, found)).orElse(null),
                    live.isPresent() ? "live" : "live: no such row");
        }
        return state == null ? new Values(null, "unknown") : new Values(state.fieldValues(), "record_state");
    }

    private SystemStatus systemStatus(RecordTransformer transformer, String entityName, EntityDefinition entity,
            String system, Map<String, String> ids, Map<String, RecordState> states,
            Map<String, Values> values, List<ReviewItem> open) throws SQLException {
        RecordState state = states.get(system);
        Values here = values.get(system);
        List<String> reasons = new ArrayList<>();
        Map<String, Difference> differences = new TreeMap<>();
        boolean masterDeleted = states.containsKey(entity.master()) && states.get(entity.master()).deleted();
        if (system.equals(entity.master())) {
            // The master is its own reference; only what others own, it can lag behind on.
            if (here.fields() == null && !masterDeleted) {
                reasons.add(system + " has no such record");
            }
        } else if (masterDeleted) {
            if (state == null || !state.deleted()) {
                reasons.add("deleted in " + entity.master() + ", not in " + system);
            }
        } else if (here.fields() == null) {
            reasons.add(system + " has no such record" + (ids.containsKey(system) ? " (id " + ids.get(system) + ")" : ""));
        }
        if (here.fields() != null) {
            compare(transformer, entityName, entity, system, here.fields(), values, differences);
        }
        differences.forEach((field, difference) -> reasons.add(field + " differs from " + difference.masterSystem()));
        for (String owner : owners(transformer, entityName, entity, system)) {
            String ownerId = ids.get(owner);
            long pending = ownerId == null ? 0 : inbox.unfinished(entityName, owner, ownerId);
            if (pending > 0) {
                reasons.add(pending + " change(s) from " + owner + " not yet applied");
                // a child waiting for its parent says which (waiting for parent: …)
                reasons.addAll(inbox.waitingForParent(entityName, owner, ownerId));
            }
        }
        for (ReviewItem item : open) {
            if (system.equals(item.targetSystem()) || item.targetSystem() == null) {
                reasons.add("review item " + item.id() + " (" + item.kind() + ") holds a change for it");
            }
        }
        return new SystemStatus(system, ids.get(system), system.equals(entity.master()), reasons.isEmpty(), reasons,
                differences, here.fields(), here.from(), state == null ? null : State.of(state));
    }

    /** Each field Syncline writes to {@code system} against the value its master holds. */
    private static void compare(RecordTransformer transformer, String entityName, EntityDefinition entity, String system,
            Map<String, Object> here, Map<String, Values> values, Map<String, Difference> differences) {
        for (CompiledField field : transformer.contract(entityName, system).fields()) {
            String name = field.field();
            String owner = entity.masterOf(name);
            if (!field.direction().writes() || owner.equals(system) || name.equals(entity.modifiedAt())
                    || !entity.mappings().containsKey(owner)
                    || transformer.contract(entityName, owner).fields().stream().noneMatch(f -> f.field().equals(name))) {
                continue;
            }
            Values master = values.get(owner);
            if (master == null || master.fields() == null || !master.fields().containsKey(name)) {
                continue;
            }
            Object expected = master.fields().get(name);
            Object actual = here.get(name);
            if (!CanonicalValues.same(asWritten(field, entityName, system, expected, master.fields()), actual)) {
                differences.put(name, new Difference(owner, expected, actual));
            }
        }
    }

    /**
     * The master's value as {@code system} holds it once Syncline wrote it and reads it back
     * through the system's mapping: a transform the mapping applies on purpose (say
     * {@code uppercase}) is what the system should hold, not drift.
     */
    private static Object asWritten(CompiledField field, String entityName, String system, Object value,
            Map<String, Object> masterValues) {
        TransformContext context = new TransformContext(entityName, system, field.field(), masterValues);
        try {
            return field.transforms().toCanonical(field.transforms().toSystem(value, context), context);
        } catch (RuntimeException e) {
            // a value the mapping cannot write would have failed its sync: compare it as it is
            return value;
        }
    }

    /** The systems that own a field {@code system} is written. */
    private static List<String> owners(RecordTransformer transformer, String entityName, EntityDefinition entity, String system) {
        return transformer.contract(entityName, system).fields().stream()
                .filter(field -> field.direction().writes())
                .map(field -> entity.masterOf(field.field()))
                .filter(owner -> !owner.equals(system))
                .distinct()
                .toList();
    }
}
