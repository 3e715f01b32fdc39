package io.syncline.state;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Syncline knows of a record's quantity fields in one system (docs/adr/0019): the changes it
 * applied there, and per source the source's own value last accounted for there. A source's own
 * value is what it reports less what Syncline applied to it, so that a report that only echoes
 * Syncline's writes adds nothing, and each system's own changes are counted once in every other.
 *
 * @param applied per quantity field, the sum of the changes Syncline applied to this system
 * @param seen    per source system and quantity field, the source's own value when its last
 *                change was applied to this system
 */
@RegisterForReflection
public record QuantityMarks(Map<String, BigDecimal> applied, Map<String, Map<String, BigDecimal>> seen) {

    public static final QuantityMarks NONE = new QuantityMarks(null, null);

    public QuantityMarks {
        applied = applied == null ? Map.of() : Map.copyOf(applied);
        seen = seen == null ? Map.of() : Map.copyOf(seen);
    }

    public boolean isEmpty() {
        return applied.isEmpty() && seen.isEmpty();
    }

    /** The sum of the changes Syncline applied to the field in this system; zero when none. */
    public BigDecimal applied(String field) {
        return applied.getOrDefault(field, BigDecimal.ZERO);
    }

    /** The source's own value of the field last accounted for in this system; null before its first report. */
    public BigDecimal seen(String source, String field) {
        return seen.getOrDefault(source, Map.of()).get(field);
    }

    /** With {@code change} more applied to the field in this system. */
    public QuantityMarks withApplied(String field, BigDecimal change) {
        Map<String, BigDecimal> sums = new LinkedHashMap<>(applied);
        sums.merge(field, change, BigDecimal::add);
        return new QuantityMarks(sums, seen);
    }

    /** With the source's own value of the field accounted for in this system. */
    public QuantityMarks withSeen(String source, String field, BigDecimal value) {
        Map<String, Map<String, BigDecimal>> all = new LinkedHashMap<>(seen);
        Map<String, BigDecimal> fields = new LinkedHashMap<>(all.getOrDefault(source, Map.of()));
        fields.put(field, value);
        all.put(source, fields);
        return new QuantityMarks(applied, all);
    }
}
