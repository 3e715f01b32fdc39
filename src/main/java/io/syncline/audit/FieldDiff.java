package io.syncline.audit;

import io.syncline.mapping.CanonicalValues;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields a write changes: each written value that differs from the one the target had. */
public final class FieldDiff {

    private FieldDiff() {
    }

    /** @param before the target's values, null when it had no record (every written field is new) */
    public static Map<String, AuditEntry.FieldChange> between(Map<String, Object> before, Map<String, Object> written) {
        Map<String, AuditEntry.FieldChange> diff = new LinkedHashMap<>();
        written.forEach((field, value) -> {
            Object old = before == null ? null : before.get(field);
            if (before == null || !CanonicalValues.same(old, value)) {
                diff.put(field, new AuditEntry.FieldChange(old, value));
            }
        });
        return diff;
    }
}
