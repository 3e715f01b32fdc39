package io.syncline.privacy.erase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditLog;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.idempotency.ProcessedKeyRepository;
import io.syncline.inbox.InboxErasure;
import io.syncline.privacy.subject.Footprint;
import io.syncline.privacy.subject.SubjectRows;
import io.syncline.reconcile.DifferenceRepository;
import io.syncline.review.ReviewQueueRepository;
import io.syncline.rules.RepeatMarks;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes an erased person's values from Syncline's own tables, one transaction per table batch
 * of {@value #BATCH} rows: inbox payloads, dead letters and review items keep an "erased" mark,
 * audit diffs and reconciliation differences keep their field names only, free-text reasons
 * become "erased by privacy request N", the record state and the idempotency keys of their events
 * go (after a re-consent the same record is applied again, not skipped as a duplicate). Open items are closed (pending
 * events refused, dead letters and review items discarded), since nothing of them is left to
 * act on. The ID map keeps its links (ids, no values): they tell a later change of the person's
 * records apart. Running it again finds nothing more to change: a row already scrubbed is left
 * as it is. Each table is written through its store.
 */
@ApplicationScoped
public class StateStoreScrubber {

    private static final int BATCH = 500;
    private static final String ERASED_BY = "erased by privacy request ";

    private final AgroalDataSource store;
    private final ObjectMapper json;
    private final ReviewQueueRepository reviewItems;
    private final AuditLog audit;
    private final InboxErasure inbox;
    private final DeadLetterRepository deadLetters;
    private final RecordStateRepository states;
    private final ProcessedKeyRepository processedKeys;
    private final DifferenceRepository differences;
    private final RepeatMarks marks;

    public StateStoreScrubber(AgroalDataSource store, ObjectMapper json, ReviewQueueRepository reviewItems, AuditLog audit,
            InboxErasure inbox, DeadLetterRepository deadLetters, RecordStateRepository states,
            ProcessedKeyRepository processedKeys, RepeatMarks marks) {
        this.store = store;
        this.json = json;
        this.reviewItems = reviewItems;
        this.audit = audit;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.states = states;
        this.processedKeys = processedKeys;
        this.marks = marks;
        this.differences = new DifferenceRepository(store, json);
    }

    /** Scrubs the person's rows; returns how many rows of each table changed. */
    public Map<String, Integer> scrub(long requestId, Footprint person) throws Exception {
        String erased = ERASED_BY + requestId;
        String mark = "{\"retained\":\"erased\",\"request\":" + requestId + "}";
        Map<String, Integer> changed = new LinkedHashMap<>();
        for (SubjectRows.Table table : SubjectRows.Table.values()) {
            List<Map<String, Object>> rows;
            try (Connection connection = store.getConnection()) {
                rows = new SubjectRows(connection, person).of(table);
            }
            int count = 0;
            for (int from = 0; from < rows.size(); from += BATCH) {
                count += scrubBatch(table, rows.subList(from, Math.min(rows.size(), from + BATCH)), requestId, erased, mark);
            }
            changed.put(table.name(), count);
        }
        return changed;
    }

    private int scrubBatch(SubjectRows.Table table, List<Map<String, Object>> rows, long requestId, String erased, String mark)
            throws Exception {
        return Transactions.inTransaction(store, connection -> {
            int count = 0;
            for (Map<String, Object> row : rows) {
                count += scrubRow(connection, table, row, requestId, erased, mark);
            }
            return count;
        });
    }

    private int scrubRow(Connection connection, SubjectRows.Table table, Map<String, Object> row, long requestId, String erased,
            String mark) throws Exception {
        long id = row.get("id") instanceof Number number ? number.longValue() : 0;
        return switch (table) {
            case audit_log -> {
                String action = (String) row.get("action");
                String detail = (String) row.get("detail");
                // A created entry has no detail: its scrubbed diff alone says it is done.
                if ("erased".equals(action) || "refused".equals(action) || "reconsented".equals(action)
                        || isScrubbed((String) row.get("diff")) && (detail == null || detail.startsWith(ERASED_BY))) {
                    yield 0;
                }
                yield audit.erase(connection, id, fieldsOnly((String) row.get("diff"), requestId), detail == null ? null : erased);
            }
            // An event being applied now is refused by the tombstone guard, which drops its payload.
            case inbox -> isMarked((String) row.get("payload")) || "processing".equals(row.get("status")) ? 0
                    : inbox.erase(connection, id, mark, erased, "pending".equals(row.get("status")) || "held".equals(row.get("status")));
            case dead_letter -> isMarked((String) row.get("payload")) ? 0
                    : deadLetters.erase(connection, id, mark, erased, "privacy request " + requestId);
            case review_item -> isMarked((String) row.get("payload")) ? 0 : reviewItems.erase(connection, id, requestId, mark, erased);
            case record_state -> states.delete(connection, (String) row.get("entity"), (String) row.get("canonical_id"),
                    (String) row.get("system"));
            case processed_key -> processedKeys.delete(connection, (String) row.get("consumer"), (String) row.get("source_system"),
                    (String) row.get("event_key"));
            // a mark is a digest of the person's values, and names their record: it goes
            case rule_repeat -> marks.forget(connection, (String) row.get("entity"), (String) row.get("rule_name"),
                    (String) row.get("digest"));
            case reconciliation_difference -> isScrubbed((String) row.get("a_values")) && isScrubbed((String) row.get("b_values"))
                    && isScrubbed((String) row.get("fields")) ? 0
                            : differences.erase(connection, id, row.get("a_values") == null ? null : mark,
                                    row.get("b_values") == null ? null : mark, fieldsOnly((String) row.get("fields"), requestId));
        };
    }

    /**
     * A diff's or a difference list's field names, without values: an audit diff
     * {@code {"email":{"from":…,"to":…}}} (or one reduced to digests) and a difference list
     * {@code [{"field":"email","a":…,"b":…}]} alike.
     */
    String fieldsOnly(String text, long requestId) throws Exception {
        if (text == null || isMarked(text)) {
            // Already reduced (by this request, an earlier one or a refused fix): its own keys are no field names.
            return text;
        }
        List<String> fields = new ArrayList<>();
        JsonNode node = json.readTree(text);
        if (node.has("retained") && node.has("value")) {
            node = node.get("value");
        }
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                fields.add(names.next());
            }
        } else if (node.isArray()) {
            node.forEach(item -> {
                if (item.hasNonNull("field")) {
                    fields.add(item.get("field").asText());
                }
            });
        }
        Map<String, Object> reduced = new LinkedHashMap<>();
        reduced.put("retained", "erased");
        reduced.put("request", requestId);
        reduced.put("fields", fields);
        return json.writeValueAsString(reduced);
    }

    private static boolean isMarked(String text) {
        return text != null && text.startsWith("{\"retained\":\"erased\"");
    }

    /** Holds nothing left to erase: empty, or already erased. */
    private static boolean isScrubbed(String text) {
        return text == null || isMarked(text);
    }
}
