package io.syncline.mapping;

import java.util.Map;

/**
 * A record in Syncline's own terms: canonical field values, where it came from (system and the
 * system's own id), and the version hash of its fields for change detection. The canonical id
 * is assigned from the cross-system ID map once the record has been matched. A {@code deleted}
 * record says the source deleted it; it carries only what identifies and dates the deletion.
 */
public record CanonicalRecord(String entity, String sourceSystem, String sourceId, Map<String, Object> fields,
        String versionHash, String canonicalId, boolean deleted) {

    public CanonicalRecord(String entity, String sourceSystem, String sourceId, Map<String, Object> fields,
            String versionHash, String canonicalId) {
        this(entity, sourceSystem, sourceId, fields, versionHash, canonicalId, false);
    }

    public CanonicalRecord withCanonicalId(String id) {
        return new CanonicalRecord(entity, sourceSystem, sourceId, fields, versionHash, id, deleted);
    }
}
