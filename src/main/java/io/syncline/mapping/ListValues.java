package io.syncline.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.mapping.transform.TransformContext;
import io.syncline.mapping.transform.TransformException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The field contracts of a list (docs/model.md, "Documents with lines"): a list of values runs the
 * field's transforms on each value; a list of child records reads each element through its item
 * contracts, paths relative to the element. A problem names the element by its index and field
 * ({@code invoice.lines[1].quantity}), and every problem of every element is collected, so that one
 * rejection names them all. The canonical value is a list of maps, in the source's order, or in
 * the order of the lines' {@code key} where the model names one, so that the same lines sent in
 * another order are the same value (hash, state, conflicts, reconciliation, audit diff).
 */
final class ListValues {

    /** A list held as JSON text (a json column, a text cell): decimals as BigDecimal, as transforms write them. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ListValues() {
    }

    /** The canonical list of {@code raw}; null for none. Problems go to {@code rejected}. */
    static Object toCanonical(CompiledField field, Object raw, String entity, String system, List<String> rejected) {
        if (raw == null) {
            return null;
        }
        List<?> elements = list(raw);
        if (elements == null) {
            rejected.add(entity + "." + field.field() + " from " + system + ": " + shown(raw) + " is not a list ("
                    + system + " " + field.path() + ")");
            return null;
        }
        List<Object> canonical = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String element = field.field() + "[" + i + "]";
            if (field.shape() == CompiledField.Shape.VALUES) {
                try {
                    canonical.add(field.transforms().toCanonical(elements.get(i), new TransformContext(entity, system, element, Map.of())));
                } catch (TransformException e) {
                    rejected.add(e.getMessage());
                }
            } else if (elements.get(i) instanceof Map<?, ?> map) {
                canonical.add(line(field, map, i, entity, system, rejected));
            } else {
                rejected.add(entity + "." + element + " from " + system + ": " + shown(elements.get(i)) + " is not a record ("
                        + system + " " + field.path() + "[" + i + "])");
            }
        }
        if (field.itemKey() != null) {
            canonical.sort(Comparator.comparing(line -> keyOf(line, field.itemKey()), Comparator.nullsLast(Comparator.naturalOrder())));
        }
        return canonical;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> line(CompiledField field, Map<?, ?> source, int index, String entity, String system,
            List<String> rejected) {
        String element = field.field() + "[" + index + "]";
        Map<String, Object> line = new LinkedHashMap<>();
        for (CompiledField item : field.items()) {
            if (!item.direction().reads()) {
                continue;
            }
            Object raw = item.steps() == null ? null : FieldPaths.get((Map<String, ?>) source, item.steps());
            Object value;
            try {
                value = item.transforms().toCanonical(raw, new TransformContext(entity, system, element + "." + item.field(), line));
            } catch (TransformException e) {
                rejected.add(e.getMessage());
                continue;
            }
            if (RecordTransformer.isMissing(value) && item.required() != null) {
                switch (item.required().kind()) {
                    case REJECT -> rejected.add("required field " + entity + "." + element + "." + item.field() + " (" + system
                            + " " + field.path() + "[" + index + "]." + item.path() + ") is missing");
                    case DEFAULT -> value = item.required().defaultValue();
                    case HOLD -> { // refused at start-up (ListContracts)
                    }
                }
            }
            line.put(item.field(), value);
        }
        return line;
    }

    /** The system's list of the canonical {@code value}. */
    @SuppressWarnings("unchecked")
    static Object toSystem(CompiledField field, Object value, String entity, String system) {
        if (!(value instanceof List<?> elements)) {
            return value;
        }
        List<Object> written = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String element = field.field() + "[" + i + "]";
            Object each = elements.get(i);
            if (field.shape() == CompiledField.Shape.VALUES || !(each instanceof Map<?, ?>)) {
                written.add(field.transforms().toSystem(each, new TransformContext(entity, system, element, Map.of())));
                continue;
            }
            Map<String, Object> line = (Map<String, Object>) each;
            Map<String, Object> target = new LinkedHashMap<>();
            for (CompiledField item : field.items()) {
                if (item.direction().writes() && item.path() != null && (item.computed() || line.containsKey(item.field()))) {
                    FieldPaths.set(target, item.steps(), item.transforms().toSystem(line.get(item.field()),
                            new TransformContext(entity, system, element + "." + item.field(), line)));
                }
            }
            written.add(target);
        }
        return written;
    }

    /** A list as read: a list, or JSON text of one (a json column, a text cell); null when it is neither. */
    private static List<?> list(Object raw) {
        if (raw instanceof List<?> list) {
            return list;
        }
        String text = raw.toString().trim();
        if (!text.startsWith("[")) {
            return null;
        }
        try {
            return JSON.readValue(text, List.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String keyOf(Object line, String key) {
        Object value = line instanceof Map<?, ?> map ? map.get(key) : null;
        return value == null ? null : String.valueOf(CanonicalValues.comparable(value));
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + "'";
    }
}
