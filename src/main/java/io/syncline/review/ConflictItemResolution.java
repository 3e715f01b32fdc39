package io.syncline.review;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.conflict.ReviewDecision;
import io.syncline.conflict.ReviewResolution;
import io.syncline.exchange.ExchangeContract;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * A field decided in a two-way conflict is decided for the record: the other direction's event
 * writes the same value to the other system, even for a field only one direction saw in conflict.
 */
@ApplicationScoped
class ConflictItemResolution implements ItemResolution {

    @Inject
    SyncModelRegistry registry;
    @Inject
    ReviewQueueRepository queue;

    @Override
    public ReviewQueueRepository.Kind kind() {
        return ReviewQueueRepository.Kind.conflict;
    }

    /**
     * In a two-way sync the other direction's open items about the record are decided with it:
     * the person decides every field in conflict in either direction, the values are checked
     * against both systems' mappings, and each of those items gets the same decisions as seen
     * from its side ({@link #mirror}).
     */
    @Override
    public Answer read(ReviewItem item, Map<String, Object> stored, Map<String, Object> body, String resolvedBy)
            throws SQLException {
        List<ReviewItem> others = queue.otherDirection(item);
        Set<String> conflicts = conflictFields(stored);
        Set<String> targets = new LinkedHashSet<>(List.of(item.targetSystem()));
        for (ReviewItem other : others) {
            conflicts.addAll(conflictFields(queue.payload(other.id())));
            targets.add(other.targetSystem());
        }
        Map<String, ReviewDecision> decisions = decisions(body);
        checkFields(item.id(), conflicts, decisions);
        CustomValueCheck check = new CustomValueCheck(registry.current().transformer(), item.entity(), targets);
        decisions.replaceAll((field, decision) -> decision.take() == ReviewDecision.Take.CUSTOM
                ? ReviewDecision.custom(check.canonical(field, decision.value())) : decision);
        List<Mirrored> mirrored = new ArrayList<>();
        for (ReviewItem other : others) {
            Map<String, ReviewDecision> theirs = mirror(decisions);
            // Written after this item's write, which has just written the other item's source.
            mirrored.add(new Mirrored(other, new Answer(recorded(theirs), "the other direction of review item " + item.id(),
                    Map.of(ExchangeContract.REVIEW_RESOLUTION, new ReviewResolution(other.id(), resolvedBy, theirs),
                            ExchangeContract.SOURCE_WRITTEN, true))));
        }
        // The conflict processor notes the decisions in the audit entry itself.
        return new Answer(recorded(decisions), null,
                Map.of(ExchangeContract.REVIEW_RESOLUTION, new ReviewResolution(item.id(), resolvedBy, decisions)), mirrored);
    }

    /**
     * The decisions as the other direction's item sees them: its source is this item's target,
     * so "the source's value" becomes "the target's" and the reverse; a custom value stays.
     */
    static Map<String, ReviewDecision> mirror(Map<String, ReviewDecision> decisions) {
        Map<String, ReviewDecision> mirrored = new LinkedHashMap<>();
        decisions.forEach((field, decision) -> mirrored.put(field, switch (decision.take()) {
            case SOURCE -> ReviewDecision.target();
            case TARGET -> ReviewDecision.source();
            case CUSTOM -> decision;
        }));
        return mirrored;
    }

    private static Map<String, Object> recorded(Map<String, ReviewDecision> decisions) {
        Map<String, Object> recorded = new LinkedHashMap<>();
        decisions.forEach((field, decision) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("take", decision.take().name().toLowerCase(Locale.ROOT));
            if (decision.take() == ReviewDecision.Take.CUSTOM) {
                entry.put("value", decision.value());
            }
            recorded.put(field, entry);
        });
        return Map.of("fields", recorded);
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
        Set<String> fields = new TreeSet<>();
        for (Object conflict : ItemResolution.contextList(stored, "conflicts")) {
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
