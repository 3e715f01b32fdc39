package io.syncline.audit;

import io.syncline.mapping.CanonicalValues;
import io.syncline.sensitive.SensitiveValues;

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

    /**
     * The diff with each of the entity's sensitive fields' values their digests (docs/privacy.md,
     * "Sensitive fields"); the diff itself when the entity has none.
     */
    public static Map<String, AuditEntry.FieldChange> sealed(SensitiveValues sensitive, String entity,
            Map<String, AuditEntry.FieldChange> diff) {
        if (diff == null || sensitive == null || sensitive.fields(entity).isEmpty()) {
            return diff;
        }
        Map<String, AuditEntry.FieldChange> sealed = new LinkedHashMap<>(diff);
        sealed.replaceAll((field, change) -> change == null || !sensitive.isSensitive(entity, field) ? change
                : new AuditEntry.FieldChange(sensitive.digest(change.from()), sensitive.digest(change.to())));
        return sealed;
    }
}
