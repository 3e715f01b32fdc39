package io.syncline.review;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.model.RequiredPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * A record held by a required-field policy {@code hold}, resolved by supplying a value for each
 * held field: {@code {"fields": {"lastName": {"value": "Hopper"}}}}. Each value is checked against
 * the canonical field's type and the mappings it will be written through; the transformer stage
 * then takes it instead of holding the record ({@link ExchangeContract#SUPPLIED_VALUES}), and
 * the record goes the rest of its way like any other.
 */
@ApplicationScoped
class HeldRecordItemResolution implements ItemResolution {

    @Inject
    SyncModelRegistry registry;

    @Override
    public ReviewQueueRepository.Kind kind() {
        return ReviewQueueRepository.Kind.held_record;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Answer read(ReviewItem item, Map<String, Object> stored, Map<String, Object> body, String resolvedBy) {
        RecordTransformer transformer = registry.current().transformer();
        Set<String> held = heldFields(transformer, item, stored);
        if (!(body.get("fields") instanceof Map<?, ?> given) || given.isEmpty()) {
            throw new IllegalArgumentException("Give a value for each held field of review item " + item.id() + " ("
                    + String.join(", ", held) + "): {\"fields\": {\"" + held.iterator().next() + "\": {\"value\": …}}}");
        }
        Set<String> unknown = new TreeSet<>((Set<String>) given.keySet());
        unknown.removeAll(held);
        Set<String> missing = new TreeSet<>(held);
        missing.removeAll((Set<String>) given.keySet());
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            throw new IllegalArgumentException("Review item " + item.id() + " holds " + String.join(", ", held)
                    + (unknown.isEmpty() ? "" : "; not held: " + String.join(", ", unknown))
                    + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing)));
        }
        CustomValueCheck check = CustomValueCheck.towardsAllBut(transformer, item.entity(), item.sourceSystem());
        Map<String, Object> supplied = new LinkedHashMap<>();
        Map<String, Object> recorded = new LinkedHashMap<>();
        StringJoiner note = new StringJoiner(", ", ItemResolution.notePrefix(item, resolvedBy), "");
        for (String field : held) {
            if (!(given.get(field) instanceof Map<?, ?> decision) || !decision.containsKey("value")) {
                throw new IllegalArgumentException("The value for held field " + field + " is not understood;"
                        + " write {\"value\": …}");
            }
            Object value = check.canonical(field, decision.get("value"));
            if (value == null || value instanceof String text && text.isBlank()) {
                throw new IllegalArgumentException("Held field " + field + " is required: give it a value");
            }
            supplied.put(field, value);
            recorded.put(field, Map.of("take", "custom", "value", value));
            note.add(field + " = supplied value");
        }
        return new Answer(Map.of("fields", recorded), note.toString(), Map.of(ExchangeContract.SUPPLIED_VALUES, supplied));
    }

    /** As stored when the record was held; for an item held before they were stored, the model's hold fields it lacks. */
    @SuppressWarnings("unchecked")
    private static Set<String> heldFields(RecordTransformer transformer, ReviewItem item, Map<String, Object> stored) {
        if (ItemResolution.context(stored).get("heldFields") instanceof List<?> fields && !fields.isEmpty()) {
            return new TreeSet<>((List<String>) fields);
        }
        Map<String, Object> record = (Map<String, Object>) stored.getOrDefault("fields", Map.of());
        Set<String> held = new TreeSet<>();
        for (CompiledField field : transformer.contract(item.entity(), item.sourceSystem()).fields()) {
            if (field.required() != null && field.required().kind() == RequiredPolicy.Kind.HOLD
                    && (record.get(field.field()) == null || String.valueOf(record.get(field.field())).isBlank())) {
                held.add(field.field());
            }
        }
        if (held.isEmpty()) {
            throw new IllegalArgumentException("Review item " + item.id() + " holds no field the model still holds;"
                    + " discard it, or replay its event");
        }
        return held;
    }
}
