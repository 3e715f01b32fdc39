package io.syncline.state;

import java.time.Instant;
import java.util.Map;

/**
 * What Syncline last synced to one system for one record.
 *
 * @param fieldValues     the canonical values the system holds since that sync (conflict detection)
 * @param fingerprint     hash of the values written to the system (echo suppression); null when
 *                        Syncline only read from it
 * @param provenance      field to the system and run that last set it
 * @param sourceTimestamp the applied change's own modification time (stale events)
 * @param deleted         a tombstone: the record was deleted and stays so unless a newer change arrives
 */
public record RecordState(String entity, String canonicalId, String system, String systemId, String sourceSystem,
                          String sourceId, String versionHash, Instant sourceTimestamp, Map<String, Object> fieldValues,
                          String fingerprint, Map<String, Provenance> provenance, boolean deleted, Instant lastSyncedAt,
                          String syncRunId) {

    /** Which system, in which run, set a field. */
    public record Provenance(String system, String runId) {
    }
}
