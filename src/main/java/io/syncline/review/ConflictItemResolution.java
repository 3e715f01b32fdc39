package io.syncline.review;

import io.syncline.conflict.ReviewDecision;
import io.syncline.conflict.ReviewResolution;
import io.syncline.sync.SyncModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A conflict, resolved field by field: {@code {"fields": {"city": "source", "phone": "target",
 * "lastName": {"value": "Smith"}}}} (also {@code {"take": "source" | "target" | "custom", "value": …}}
 * per field), a decision for each conflicting field and for no other. The conflict processor
 * takes the decided values instead of asking the fields' strategies ({@link ReviewResolution}).
 */
@ApplicationScoped
class ConflictItemResolution implements ItemResolution {

    private final SyncModelRegistry registry;

    ConflictItemResolution(SyncModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ReviewQueueRepository.Kind kind() {
        return ReviewQueueRepository.Kind.conflict;
    }

    @Override
    public Answer read(ReviewItem item, Map<String, Object> stored, Map<String, Object> body, String resolvedBy) {
        Map<String, ReviewDecision> decisions = decisions(body);
        checkFields(item.id(), conflictFields(stored), decisions);
        CustomValueCheck check = new CustomValueCheck(registry.current().transformer(), item.entity(),
                List.of(item.targetSystem()));
        Map<String, Object> recorded = new LinkedHashMap<>();
        decisions.replaceAll((field, decision) -> decision.take() == ReviewDecision.Take.CUSTOM
                ? ReviewDecision.custom(check.canonical(field, decision.value())) : decision);
        decisions.forEach((field, decision) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("take", decision.take().name().toLowerCase(Locale.ROOT));
            if (decision.take() == ReviewDecision.Take.CUSTOM) {
                entry.put("value", decision.value());
            }
            recorded.put(field, entry);
        });
        // The conflict processor notes the decisions in the audit entry itself.
        return new Answer(Map.of("fields", recorded), null,
                Map.of(ReviewResolution.PROPERTY, new ReviewResolution(item.id(), resolvedBy, decisions)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, ReviewDecision> decisions(Map<String, Object> body) {
        Object fields = body.get("fields");
        if (!(fields instanceof Map<?, ?> given) || given.isEmpty()) {
            throw new IllegalArgumentException("Give a decision per conflicting field: {\"fields\": {\"city\": \"source\","
                    + " \"phone\": \"target\", \"lastName\": {\"value\": \"Smith\"}}}");
        }
        Map<String, ReviewDecision> decisions = new LinkedHashMap<>();
        ((Map<String, Object>) given).forEach((field, decision) -> decisions.put(field, decision(field, decision)));
        return decisions;
    }

    private static ReviewDecision decision(String field, Object written) {
        if (written instanceof String take) {
            return switch (take.toLowerCase(Locale.ROOT)) {
                case "source" -> ReviewDecision.source();
                case "target" -> ReviewDecision.target();
                default -> throw new IllegalArgumentException("Decision for " + field + " is '" + take
                        + "'; write \"source\", \"target\" or {\"value\": …}");
            };
        }
        if (written instanceof Map<?, ?> map) {
            Object take = map.get("take");
            if (take == null && map.containsKey("value") || "custom".equals(take)) {
                if (!map.containsKey("value")) {
                    throw new IllegalArgumentException("A custom decision for " + field + " needs its \"value\"");
                }
                return ReviewDecision.custom(map.get("value"));
            }
            if (take instanceof String text && !map.containsKey("value")) {
                return decision(field, text);
            }
        }
        throw new IllegalArgumentException("Decision for " + field + " is not understood; write \"source\", \"target\","
                + " or {\"value\": …}");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> conflictFields(Map<String, Object> stored) {
        Map<String, Object> context = (Map<String, Object>) stored.getOrDefault("context", Map.of());
        Set<String> fields = new TreeSet<>();
        for (Object conflict : (List<Object>) context.getOrDefault("conflicts", List.of())) {
            fields.add(String.valueOf(((Map<String, Object>) conflict).get("field")));
        }
        return fields;
    }

    private static void checkFields(long id, Set<String> conflicts, Map<String, ReviewDecision> decisions) {
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
}
