package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.state.QuantityMarks;
import io.syncline.state.RecordState;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How much each quantity field of an event's record changed, for one target (docs/adr/0019). An
 * event that says so (a field that {@code increments} or {@code decrements} the quantity: an
 * order's line quantity) gives the change itself. An event that reports the quantity's value
 * gives it as that value less what Syncline applied to the source (its own value), less the
 * source's own value last accounted for in this target: so each target counts each source's
 * change once, whatever order the targets of one event are applied in, and a report that only
 * echoes Syncline's writes to the source changes nothing. A source's first report to a target
 * is its starting point there and changes nothing, unless the target has no record yet: then
 * the value is written as it is.
 */
public final class QuantityChanges {

    /**
     * One quantity field's change for the target.
     *
     * @param change the amount to add to the target's value; null when there is none to add
     * @param value  the value to write instead (a record the target does not have yet); null otherwise
     * @param how    for the audit detail
     */
    record Change(String field, BigDecimal change, Object value, String how) {

        /**
         * The target's current value plus the change, for a target that writes values (read, then
         * write); null when there is no change or no current value.
         */
        Object added(Map<String, Object> current) {
            BigDecimal now = current == null ? null : number(current.get(field));
            if (change == null || change.signum() == 0 || now == null) {
                return null;
            }
            BigDecimal sum = now.add(change);
            return current.get(field) instanceof Integer || current.get(field) instanceof Long ? (Object) sum.longValueExact() : sum;
        }
    }

    private QuantityChanges() {
    }

    /** The fields of the entity that are quantities or carry a quantity's change: no conflict strategy decides them. */
    static Set<String> fields(EntityDefinition entity) {
        Set<String> fields = new TreeSet<>();
        entity.fields().forEach((name, field) -> {
            if (field != null && (field.isQuantity() || field.isChange())) {
                fields.add(name);
            }
        });
        return fields;
    }

    /** The changes of the unit's record for its target, and the target's quantity marks once they are applied. */
    static Map<String, Change> of(SyncUnit unit, EntityDefinition entity) {
        CanonicalRecord record = unit.record();
        String source = record.sourceSystem();
        QuantityMarks sourceMarks = unit.sourceState().map(RecordState::quantities).orElse(QuantityMarks.NONE);
        QuantityMarks marks = unit.targetState().map(RecordState::quantities).orElse(QuantityMarks.NONE);
        boolean created = unit.targetValues() == null;
        Map<String, Change> changes = new LinkedHashMap<>();
        for (Map.Entry<String, CanonicalField> declared : entity.fields().entrySet()) {
            CanonicalField field = declared.getValue();
            if (field == null || !field.isQuantity()) {
                continue;
            }
            String name = declared.getKey();
            BigDecimal told = told(record, entity, name);
            BigDecimal reported = number(record.fields().get(name));
            BigDecimal seen = marks.seen(source, name);
            if (told != null) {
                // the source's own value moved by the change as well: a later report of it adds nothing more
                if (seen != null) {
                    marks = marks.withSeen(source, name, seen.add(told));
                }
                changes.put(name, new Change(name, told, null, "changed by " + told.toPlainString() + " in " + source));
            } else if (reported != null) {
                BigDecimal own = reported.subtract(sourceMarks.applied(name));
                marks = marks.withSeen(source, name, own);
                if (created || unit.resync()) {
                    // a record the target lacks, or a deliberate push of the master's values: the value itself
                    BigDecimal before = created ? null : number(unit.targetValues().get(name));
                    if (before != null) {
                        marks = marks.withApplied(name, reported.subtract(before));
                    }
                    changes.put(name, new Change(name, null, record.fields().get(name), created ? "first value from " + source
                            : "set to " + source + "'s " + reported.toPlainString()));
                } else if (seen != null) {
                    BigDecimal change = own.subtract(seen);
                    changes.put(name, new Change(name, change, null, source + " reported " + reported.toPlainString()
                            + ", a change of " + change.toPlainString()));
                } else {
                    changes.put(name, new Change(name, null, null, "first report from " + source + " ("
                            + reported.toPlainString() + "), taken as its starting point"));
                }
            }
        }
        unit.quantities(changes, marks);
        return changes;
    }

    /** The change an event gives itself: the sum of the fields that increment the quantity less those that decrement it. */
    private static BigDecimal told(CanonicalRecord record, EntityDefinition entity, String quantity) {
        BigDecimal sum = null;
        for (Map.Entry<String, CanonicalField> declared : entity.fields().entrySet()) {
            CanonicalField field = declared.getValue();
            BigDecimal value = number(record.fields().get(declared.getKey()));
            if (field == null || value == null || !quantity.equals(field.changes())) {
                continue;
            }
            BigDecimal signed = quantity.equals(field.increments()) ? value : value.negate();
            sum = sum == null ? signed : sum.add(signed);
        }
        return sum;
    }

    /** A canonical number as a decimal; null for no value or text that is no number. */
    public static BigDecimal number(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
