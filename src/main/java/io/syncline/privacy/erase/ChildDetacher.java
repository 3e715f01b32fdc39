package io.syncline.privacy.erase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.mapping.FieldPaths;
import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.routes.SourceIntakes;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The children of an erased record, by the model's rules ({@link ChildWalk}), and the detaching of
 * those that stay: each is put into the inbox as a change from its source (the master where the
 * master sends changes), carrying Syncline's last synced values of it with the erased parent's
 * reference emptied, so that the entity's apply route writes it empty to every target with the
 * audit, ID map and conflict rules of any other change. Like a "sync now" ({@code origin resync})
 * it is applied even though it is not newer than the change before it.
 */
@ApplicationScoped
public class ChildDetacher {

    private static final Logger LOG = Logger.getLogger(ChildDetacher.class);

    @Inject
    SyncModelRegistry registry;
    @Inject
    RecordStateRepository states;
    @Inject
    IdMapRepository idMap;
    @Inject
    SourceIntakes intakes;
    @Inject
    InboxEnqueuer inbox;
    @Inject
    AgroalDataSource store;
    @Inject
    ObjectMapper json;

    /** The children that an erasure of these records of {@code entity} erases or detaches, as the state store knows them now. */
    public ChildWalk.Children children(String entity, Collection<String> canonicalIds) throws SQLException {
        return ChildWalk.walk(registry.current().model(), entity, canonicalIds, states::naming);
    }

    /**
     * Puts each child into the inbox with its references to erased records emptied.
     *
     * @return the children put in; one without a source that sends its changes, or without a
     *         record Syncline synced from it, is logged and left out
     */
    public List<ChildWalk.Detach> detach(long requestId, List<ChildWalk.Detach> children, String user) throws SQLException {
        List<ChildWalk.Detach> detached = new ArrayList<>();
        for (ChildWalk.Detach child : children) {
            if (detach(requestId, child, user)) {
                detached.add(child);
            } else {
                LOG.warnf("Privacy request %d could not detach %s %s from its erased parents: no source of it sends changes"
                        + " or Syncline holds none of its values", requestId, child.entity(), child.canonicalId());
            }
        }
        return detached;
    }

    private boolean detach(long requestId, ChildWalk.Detach child, String user) throws SQLException {
        RecordTransformer transformer = registry.current().transformer();
        EntityDefinition entity = transformer.entity(child.entity());
        Set<String> sources = new LinkedHashSet<>();
        if (entity.master() != null) {
            sources.add(entity.master());
        }
        sources.addAll(entity.sources());
        for (String source : sources) {
            Optional<SourceIntakes.Intake> intake = intakes.of(child.entity(), source);
            Optional<String> sourceId = idMap.systemId(child.entity(), child.canonicalId(), source);
            if (intake.isEmpty() || sourceId.isEmpty()) {
                continue;
            }
            Optional<RecordState> state;
            try (Connection connection = store.getConnection()) {
                state = states.find(connection, child.entity(), child.canonicalId(), source, false);
            }
            if (state.isEmpty() || state.get().deleted()) {
                continue;
            }
            Map<String, Object> payload = transformer.toSystem(child.entity(), source, sourceValues(transformer, child, source,
                    state.get().fieldValues()));
            FieldPaths.set(payload, transformer.contract(child.entity(), source).keyPath(), sourceId.get());
            inbox.enqueue(intake.get().routeId(), intake.get().applyEndpoint(), child.entity(), source, sourceId.get(),
                    "erasure:" + requestId + ":" + child.entity() + ":" + child.canonicalId(), json(payload),
                    ExchangeContract.ORIGIN_RESYNC, user);
            return true;
        }
        return false;
    }

    /**
     * The child's canonical values as its source would send them: the erased parents left out of
     * their references, every other reference the source's own id of its parent again.
     */
    private Map<String, Object> sourceValues(RecordTransformer transformer, ChildWalk.Detach child, String source,
            Map<String, Object> canonical) {
        Map<String, Object> values = new LinkedHashMap<>(canonical);
        for (Map.Entry<String, CanonicalField> reference : transformer.references(child.entity()).entrySet()) {
            String field = reference.getKey();
            Object value = values.get(field);
            if (value == null) {
                continue;
            }
            Set<String> erased = child.erasedParents().getOrDefault(field, Set.of());
            List<Object> ids = new ArrayList<>();
            for (Object id : value instanceof List<?> list ? list : List.of(value)) {
                if (id != null && !erased.contains(id.toString())) {
                    // a parent whose link is gone stays as it was: the apply route decides as for any unlinked parent
                    ids.add(idMap.systemId(reference.getValue().ref(), id.toString(), source).orElse(id.toString()));
                }
            }
            values.put(field, value instanceof List<?> ? ids : ids.isEmpty() ? null : ids.get(0));
        }
        return values;
    }

    private String json(Map<String, Object> payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
