package io.syncline.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One review item as a person reads it: the item, and for a conflict both values of each
 * conflicting field with their systems, modification times, the value both had after the last
 * sync, the field's master and the strategy; the held record (and which of its fields are held);
 * candidates of an ambiguous match;
 * how it was closed; and the other open items about the same record.
 */
@ApplicationScoped
public class ReviewItemView {

    @Inject
    ReviewQueueRepository queue;

    @SuppressWarnings("unchecked")
    public Map<String, Object> of(ReviewItem item) throws SQLException {
        Map<String, Object> payload = queue.payload(item.id());
        Map<String, Object> context = (Map<String, Object>) payload.getOrDefault("context", Map.of());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("item", item);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Object entry : (List<Object>) context.getOrDefault("conflicts", List.of())) {
            Map<String, Object> conflict = (Map<String, Object>) entry;
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("source", side(conflict.get("sourceSystem"), conflict.get("sourceValue"), conflict.get("sourceModifiedAt")));
            field.put("target", side(conflict.get("targetSystem"), conflict.get("targetValue"), conflict.get("targetModifiedAt")));
            field.put("lastSynced", conflict.get("lastSynced"));
            field.put("fieldMaster", conflict.get("fieldMaster"));
            field.put("strategy", conflict.get("strategy"));
            fields.put(String.valueOf(conflict.get("field")), field);
        }
        view.put("fields", fields);
        view.put("record", payload.get("fields"));
        if (context.containsKey("heldFields")) {
            view.put("heldFields", context.get("heldFields"));
        }
        if (context.containsKey("candidates")) {
            view.put("candidates", context.get("candidates"));
            view.put("matchRule", context.get("rule"));
        }
        if (context.containsKey("values")) {
            view.put("ruleValues", context.get("values"));
        }
        view.put("resolution", queue.resolution(item.id()));
        view.put("related", queue.related(item));
        return view;
    }

    private static Map<String, Object> side(Object system, Object value, Object modifiedAt) {
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("system", system);
        side.put("value", value);
        side.put("modifiedAt", modifiedAt);
        return side;
    }
}
