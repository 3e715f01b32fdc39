package io.syncline.state;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/**
 * What Syncline last synced to one system for one record.
 *
 * @param fieldValues           the canonical values the system holds since that sync (conflict detection)
 * @param fingerprint           hash of the values written to the system (echo suppression); null when
 *                              Syncline only read from it
 * @param provenance            field to the system and run that last set it
 * @param sourceTimestamp       the applied change's own modification time (stale events, tombstones)
 * @param deleted               a tombstone: the record was deleted and stays so unless a newer change arrives
 * @param overwrittenValues     the values Syncline's last write to this system replaced (field to the
 *                              value it had), so that a late event of the system reporting one of them
 *                              is known for what it is; empty when nothing was replaced
 * @param overwrittenModifiedAt the system's own modification time of the record just before that write
 * @param appliedFrom           per source system, the last change of it applied to this system: the
 *                              order of each source's events (stale events) is kept separately, so
 *                              that a change from another system is weighed field by field instead
 * @param quantities            the bookkeeping of the entity's quantity fields in this system
 *                              ({@link QuantityMarks}); empty when it has none
 */
public record RecordState(String entity, String canonicalId, String system, String systemId, String sourceSystem,
        String sourceId, String versionHash, Instant sourceTimestamp, Map<String, Object> fieldValues,
        String fingerprint, Map<String, Provenance> provenance, boolean deleted, Instant lastSyncedAt,
        String syncRunId, Map<String, Object> overwrittenValues, Instant overwrittenModifiedAt,
        Map<String, AppliedVersion> appliedFrom, QuantityMarks quantities) {

    public RecordState {
        overwrittenValues = overwrittenValues == null ? Map.of() : overwrittenValues;
        appliedFrom = appliedFrom == null ? Map.of() : appliedFrom;
        quantities = quantities == null ? QuantityMarks.NONE : quantities;
    }

    /** A state without quantity bookkeeping. */
    public RecordState(String entity, String canonicalId, String system, String systemId, String sourceSystem,
            String sourceId, String versionHash, Instant sourceTimestamp, Map<String, Object> fieldValues,
            String fingerprint, Map<String, Provenance> provenance, boolean deleted, Instant lastSyncedAt,
            String syncRunId, Map<String, Object> overwrittenValues, Instant overwrittenModifiedAt,
            Map<String, AppliedVersion> appliedFrom) {
        this(entity, canonicalId, system, systemId, sourceSystem, sourceId, versionHash, sourceTimestamp, fieldValues,
                fingerprint, provenance, deleted, lastSyncedAt, syncRunId, overwrittenValues, overwrittenModifiedAt,
                appliedFrom, null);
    }

    /** A state without overwritten values or per-source versions. */
    public RecordState(String entity, String canonicalId, String system, String systemId, String sourceSystem,
            String sourceId, String versionHash, Instant sourceTimestamp, Map<String, Object> fieldValues,
            String fingerprint, Map<String, Provenance> provenance, boolean deleted, Instant lastSyncedAt,
            String syncRunId) {
        this(entity, canonicalId, system, systemId, sourceSystem, sourceId, versionHash, sourceTimestamp, fieldValues,
                fingerprint, provenance, deleted, lastSyncedAt, syncRunId, null, null, null, null);
    }

    /** Which system, in which run, set a field. */
    @RegisterForReflection
    public record Provenance(String system, String runId) {
    }

    /**
     * A source's change as applied: its modification time and version hash, and, for a change read
     * from the source's change stream, its position there (null otherwise).
     */
    @RegisterForReflection
    public record AppliedVersion(Instant modifiedAt, String versionHash, StreamPosition position) {

        /** A change from outside a change stream (a webhook, a poll). */
        public AppliedVersion(Instant modifiedAt, String versionHash) {
            this(modifiedAt, versionHash, null);
        }
    }
}
