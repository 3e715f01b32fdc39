package io.syncline.mapping;

import java.util.Map;

/**
 * A record in Syncline's own terms: canonical field values, where it came from (system and the
 * system's own id), and the version hash of its fields for change detection. The canonical id
 * is assigned from the cross-system ID map once the record has been matched.
 */
public record CanonicalRecord(String entity, String sourceSystem, String sourceId, Map<String, Object> fields,
                              String versionHash, String canonicalId) {

    public CanonicalRecord withCanonicalId(String id) {
        return new CanonicalRecord(entity, sourceSystem, sourceId, fields, versionHash, id);
    }
}
