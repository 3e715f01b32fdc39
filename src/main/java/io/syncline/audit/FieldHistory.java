package io.syncline.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditEntry.FieldDecision;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.failure.BadParameterException;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.EntityDefinition;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.CanonicalRef;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Why this value": the chain of changes that made one field's value in one system, oldest first,
 * read from the audit log. Each of Syncline's writes of the field there is a step, with the event,
 * the source, the time, what decided the value (the source's change, a conflict strategy, a
 * person resolving a review item, a re-sync) and the value it replaced; when the system itself
 * changed the field after Syncline's last write (an event of its own said so), that change ends
 * the chain.
 *
 * <p>Entries written before the audit recorded each field's decision ({@code decisions}) are read
 * from their detail text: the strategy of a conflict, the reviewer of a resolution that names the
 * field; such a step says {@code "recorded": false}.
 */
@ApplicationScoped
public class FieldHistory {

    /** The entries about the record that wrote to the system: the field is picked from their diff. */
    private static final String WRITES = "SELECT id, occurred_at, action, source_system, source_id, run_id, inbox_id,"
            + " diff, detail, actor, decisions FROM audit_log WHERE entity = ? AND canonical_id = ? AND target_system = ?"
            + " AND diff IS NOT NULL ORDER BY id";
    /** The entry of the event that last reported the system's own change of the field. */
    private static final String REPORTED = "SELECT id, occurred_at, action, source_system, source_id, run_id, inbox_id,"
            + " NULL, detail, actor, NULL FROM audit_log WHERE entity = ? AND canonical_id = ? AND source_system = ?"
            + " AND run_id = ? ORDER BY id LIMIT 1";
    private static final Pattern CONFLICT = Pattern.compile("conflict on (\\S+): (\\S+) kept the (\\S+) value");
    private static final TypeReference<Map<String, Map<String, Object>>> FIELDS = new TypeReference<>() {
    };

    /** A record, system or field that the question names and that does not exist: 404. */
    public static class NotFoundException extends RuntimeException {

        NotFoundException(String message) {
            super(message);
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ObjectMapper mapper;

    /**
     * The chain of {@code field} of the record {@code id} names (its canonical id, or its id in
     * {@code by}, or without {@code by} in any system) in {@code system}, as the API answers it.
     *
     * @throws BadParameterException a parameter missing, or naming what the model does not have
     * @throws NotFoundException             no such record
     */
    public Map<String, Object> chain(String entity, String id, String by, String system, String field) throws SQLException {
        EntityDefinition definition = entity(entity);
        require("record", id);
        require("system", system);
        require("field", field);
        if (by != null && !definition.mappings().containsKey(by)) {
            throw new BadParameterException("by", "System '" + by + "' does not hold " + entity + "; systems: "
                    + new TreeSet<>(definition.mappings().keySet()));
        }
        if (!definition.mappings().containsKey(system)) {
            throw new BadParameterException("system", "System '" + system + "' does not hold " + entity + "; systems: "
                    + new TreeSet<>(definition.mappings().keySet()));
        }
        if (!definition.fields().containsKey(field)) {
            throw new BadParameterException("field", "Field '" + field + "' is not one of " + entity + "'s; fields: "
                    + new TreeSet<>(definition.fields().keySet()));
        }
        String canonicalId = canonicalId(entity, id, by);
        Optional<RecordState> state;
        RecordState.Provenance setBy;
        List<Map<String, Object>> steps = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            state = states.find(connection, entity, canonicalId, system, false);
            for (Map<String, Object> entry : Sql.list(connection, WRITES, Sql.params().text(entity, canonicalId, system), this::row)) {
                Map<String, Object> step = step(entry, field);
                if (step != null) {
                    steps.add(step);
                }
            }
            setBy = state.map(s -> s.provenance().get(field)).orElse(null);
            // The system's own change, reported by an event of its own (a resolution's run is no report of it).
            if (setBy != null && system.equals(setBy.system()) && setBy.runId() != null && setBy.runId().startsWith("inbox-")) {
                Object previous = steps.isEmpty() ? null : steps.get(steps.size() - 1).get("value");
                Object value = state.get().fieldValues().get(field);
                Sql.optional(connection, REPORTED, Sql.params().text(entity, canonicalId, system, setBy.runId()), this::row)
                        .ifPresent(entry -> steps.add(ownChange(entry, system, previous, value)));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("entity", entity);
        answer.put("canonicalId", canonicalId);
        answer.put("system", system);
        answer.put("systemId", idMap.systemId(entity, canonicalId, system).orElse(null));
        answer.put("field", field);
        answer.put("value", state.map(s -> s.fieldValues().get(field)).orElse(null));
        answer.put("setBy", setBy == null ? null : Map.of("system", setBy.system(), "runId", setBy.runId()));
        answer.put("steps", steps);
        return answer;
    }

    private EntityDefinition entity(String entity) {
        require("entity", entity);
        EntityDefinition definition = registry.current().model().entities().get(entity);
        if (definition == null) {
            throw new BadParameterException("entity", "Entity '" + entity + "' is unknown; the model declares "
                    + new TreeSet<>(registry.current().model().entities().keySet()));
        }
        return definition;
    }

    private static void require(String parameter, String value) {
        if (value == null) {
            throw new BadParameterException(parameter, "Name the " + parameter + ": " + parameter + "=<" + parameter + ">");
        }
    }

    private String canonicalId(String entity, String id, String by) throws SQLException {
        if (by != null) {
            return idMap.canonicalId(entity, by, id)
                    .orElseThrow(() -> new NotFoundException("No " + entity + " with " + by + " id '" + id + "'"));
        }
        List<CanonicalRef> found = idMap.find(entity, id, 2);
        if (found.isEmpty()) {
            throw new NotFoundException("No " + entity + " has the id '" + id + "' in any system, nor as its canonical id");
        }
        if (found.size() > 1) {
            throw new BadParameterException("by", "The id '" + id + "' names more than one " + entity
                    + ": say in which system with by=<system>");
        }
        return found.get(0).canonicalId();
    }

    private Map<String, Object> row(ResultSet rows) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", rows.getLong(1));
        row.put("at", rows.getObject(2, OffsetDateTime.class).toInstant().toString());
        row.put("action", rows.getString(3));
        row.put("sourceSystem", rows.getString(4));
        row.put("sourceId", rows.getString(5));
        row.put("runId", rows.getString(6));
        Number inboxId = (Number) rows.getObject(7);
        row.put("inboxId", inboxId == null ? null : inboxId.longValue());
        row.put("diff", rows.getString(8));
        row.put("detail", rows.getString(9));
        row.put("actor", rows.getString(10));
        row.put("decisions", rows.getString(11));
        return row;
    }

    /** The step {@code entry} is for {@code field}, or null when its diff does not hold the field. */
    private Map<String, Object> step(Map<String, Object> entry, String field) {
        Map<String, Map<String, Object>> diff = fields((String) entry.get("diff"));
        Map<String, Object> change = diff == null ? null : diff.get(field);
        if (change == null) {
            return null;
        }
        Map<String, Map<String, Object>> decisions = fields((String) entry.get("decisions"));
        Map<String, Object> recorded = decisions == null ? null : decisions.get(field);
        FieldDecision decision = recorded != null ? mapper.convertValue(recorded, FieldDecision.class) : inferred(entry, field);
        Map<String, Object> step = base(entry);
        step.put("decidedBy", decision.by());
        step.put("valueFrom", decision.source());
        step.put("strategy", decision.strategy());
        step.put("kept", decision.kept());
        boolean review = FieldDecision.REVIEW.equals(decision.by());
        step.put("reviewer", review ? entry.get("actor") : null);
        step.put("reviewItem", review ? reviewItem((String) entry.get("runId")) : null);
        step.put("take", decision.take());
        step.put("requestedBy", review ? null : entry.get("actor"));
        step.put("previousValue", change.get("from"));
        step.put("value", change.get("to"));
        step.put("detail", entry.get("detail"));
        step.put("recorded", recorded != null);
        return step;
    }

    /** The system's own change of the field, reported by its event {@code entry}. */
    private static Map<String, Object> ownChange(Map<String, Object> entry, String system, Object previous, Object value) {
        Map<String, Object> step = base(entry);
        step.put("decidedBy", "system");
        step.put("valueFrom", system);
        step.put("previousValue", previous);
        step.put("value", value);
        step.put("detail", "changed in " + system + " itself, reported by its event");
        step.put("recorded", true);
        return step;
    }

    /** A step of the entry: every key of the answer, each null until the step says more. */
    private static Map<String, Object> base(Map<String, Object> entry) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("auditId", entry.get("id"));
        step.put("at", entry.get("at"));
        step.put("action", entry.get("action"));
        step.put("event", entry.get("inboxId"));
        step.put("runId", entry.get("runId"));
        step.put("sourceSystem", entry.get("sourceSystem"));
        step.put("sourceId", entry.get("sourceId"));
        for (String key : List.of("decidedBy", "valueFrom", "strategy", "kept", "reviewer", "reviewItem", "take", "requestedBy",
                "previousValue", "value", "detail", "recorded")) {
            step.put(key, null);
        }
        return step;
    }

    /** An entry without recorded decisions, read from its detail text. */
    private static FieldDecision inferred(Map<String, Object> entry, String field) {
        String source = (String) entry.get("sourceSystem");
        String detail = entry.get("detail") == null ? "" : (String) entry.get("detail");
        Matcher conflict = CONFLICT.matcher(detail);
        while (conflict.find()) {
            if (conflict.group(1).equals(field)) {
                return new FieldDecision(conflict.group(3), FieldDecision.STRATEGY, conflict.group(2), conflict.group(3), null);
            }
        }
        String runId = (String) entry.get("runId");
        Matcher decided = Pattern.compile("[:,] " + Pattern.quote(field) + " = (source|target|custom|supplied) value").matcher(detail);
        if (runId != null && runId.startsWith("review-") && decided.find()) {
            String take = decided.group(1).equals("supplied") ? "custom" : decided.group(1);
            return new FieldDecision(take.equals("custom") ? "review" : null, FieldDecision.REVIEW, null, null, take);
        }
        return new FieldDecision(source, detail.contains("re-sync of the master") ? FieldDecision.RESYNC : FieldDecision.CHANGE,
                null, null, null);
    }

    private static Long reviewItem(String runId) {
        if (runId == null || !runId.startsWith("review-")) {
            return null;
        }
        try {
            return Long.parseLong(runId.substring("review-".length()));
        } catch (NumberFormatException notAnItem) {
            return null;
        }
    }

    private Map<String, Map<String, Object>> fields(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, FIELDS);
        } catch (JsonProcessingException | IllegalArgumentException notAnObject) {
            // An erased entry's diff holds field names only.
            return null;
        }
    }
}
