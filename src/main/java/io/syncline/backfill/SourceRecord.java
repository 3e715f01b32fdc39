package io.syncline.backfill;

import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordTransformer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** A record as a backfill (or a sync plan) reads it from its source: in the shape a webhook would carry it, with its raw key. */
public record SourceRecord(Map<String, Object> values, Object key) {

    /** The row as a webhook would carry it (times as ISO-8601 text: a database hands out its own classes). */
    public static SourceRecord of(Map<String, Object> row, String keyPath) {
        Map<String, Object> values = new LinkedHashMap<>();
        row.forEach((name, value) -> values.put(name, CanonicalInstants.canonical(value)));
        Object key = row.get(keyPath);
        return new SourceRecord(values, key != null ? key : row.get(keyPath.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether the record passes the backfill's filter: each filtered canonical field equals the
     * value, or one of the values, given. A record the transformer rejects passes, so that the
     * apply path reports it (a dry run's reject, a run's dead letter) rather than the filter hiding it.
     */
    boolean passes(Map<String, Object> filter, RecordTransformer transformer, String entity, String source) {
        if (filter.isEmpty()) {
            return true;
        }
        CanonicalRecord canonical;
        try {
            canonical = transformer.toCanonicalUnhashed(entity, source, values);
        } catch (RuntimeException rejected) {
            return true;
        }
        for (Map.Entry<String, Object> condition : filter.entrySet()) {
            Object value = canonical.fields().get(condition.getKey());
            if (condition.getValue() instanceof Collection<?> allowed
                    ? allowed.stream().noneMatch(one -> same(one, value)) : !same(condition.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Object declared, Object value) {
        return value != null && Objects.equals(String.valueOf(declared), String.valueOf(value));
    }
}
