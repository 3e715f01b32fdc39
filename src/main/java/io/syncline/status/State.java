package io.syncline.status;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.state.RecordState;

import java.time.Instant;
import java.util.Map;

/** The last sync of a record to one system, from its record state. */
@RegisterForReflection
public record State(Instant lastSyncedAt, String syncRunId, String versionHash, String sourceSystem, Instant sourceTimestamp,
        boolean deleted, Map<String, RecordState.Provenance> provenance) {

    static State of(RecordState state) {
        return new State(state.lastSyncedAt(), state.syncRunId(), state.versionHash(), state.sourceSystem(),
                state.sourceTimestamp(), state.deleted(), state.provenance());
    }
}
