package io.syncline.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.inbox.InboxLookups;
import io.syncline.mapping.FieldPaths;
import io.syncline.sync.ParentFetches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A missing parent ({@code missingParent: sync}) asked of its source as a notice in the inbox: the
 * parent's entity's apply route from that source fetches the record by its id (as for a captured
 * change's notice, {@link ExchangeContract#ORIGIN_NOTICE}) and applies it to every target, with the
 * inbox's retries, dead letters and audit. The event id, {@code parent:<entity>:<system>:<id>},
 * makes it one event however many children ask, and is how a child finds what became of it: a
 * dead event (the source answered 404, or another reason it could not be applied) is the reason
 * the child goes to review.
 */
@ApplicationScoped
public class ParentNotices implements ParentFetches {

    @Inject
    InboxEnqueuer inbox;
    @Inject
    InboxLookups events;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ObjectMapper mapper;
    @Inject
    SourceIntakes intakes;

    @Override
    public Optional<String> request(String entity, String system, String id) throws SQLException {
        String eventId = "parent:" + entity + ":" + system + ":" + id;
        Optional<InboxLookups.EventStatus> asked = events.status(system, eventId);
        if (asked.isPresent()) {
            return "dead".equals(asked.get().status()) ? Optional.of(String.valueOf(asked.get().lastError())) : Optional.empty();
        }
        SourceIntakes.Intake intake = intakes.of(entity, system).orElse(null);
        if (intake == null) {
            // the model validator requires the parent's entity to take changes from the source
            return Optional.of("no route applies " + entity + " from " + system);
        }
        Map<String, Object> notice = new LinkedHashMap<>();
        FieldPaths.set(notice, registry.current().transformer().contract(entity, system).keyPath(), id);
        inbox.enqueue(intake.routeId(), intake.applyEndpoint(), entity, system, id, eventId, json(notice),
                ExchangeContract.ORIGIN_NOTICE, null);
        return Optional.empty();
    }

    private String json(Map<String, Object> notice) {
        try {
            return mapper.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
