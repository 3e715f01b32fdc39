package io.syncline.sync;

import io.syncline.conflict.FieldConflict;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordTransformer;
import io.syncline.state.RecordState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The record states an applied event leaves behind: the target's (what it holds now, the
 * fingerprint of what was written to it, which system and run set each field) and, when the
 * event came from another system, the source's (what it holds now, as it just told us).
 */
final class SyncStates {

    record Changes(RecordState target, RecordState source) {
    }

    private SyncStates() {
    }

    static Changes after(SyncUnit unit, RecordTransformer transformer, Instant now) {
        CanonicalRecord record = unit.record();
        Optional<RecordState> before = unit.targetState();
        Map<String, Object> holds = new LinkedHashMap<>(unit.targetValues() != null ? unit.targetValues()
                : before.map(RecordState::fieldValues).orElse(Map.of()));
        Map<String, RecordState.Provenance> provenance = new LinkedHashMap<>(before.map(RecordState::provenance).orElse(Map.of()));
        String fingerprint = before.map(RecordState::fingerprint).orElse(null);
        if (!record.deleted()) {
            holds.putAll(unit.values());
            unit.valueSources().forEach((field, system) -> {
                if (!system.equals(unit.target())) {
                    provenance.put(field, new RecordState.Provenance(system, unit.runId()));
                }
            });
            fingerprint = EchoFingerprint.of(transformer, record.entity(), unit.target(), holds);
        }
        RecordState target = new RecordState(record.entity(), record.canonicalId(), unit.target(), unit.targetId(),
                record.sourceSystem(), record.sourceId(), record.versionHash(), timestamp(unit, before), holds, fingerprint,
                provenance, record.deleted(), now, unit.runId());
        if (record.sourceSystem().equals(unit.target())) {
            return new Changes(target, null);
        }
        return new Changes(target, sourceState(unit, now));
    }

    /** What the source holds, as its event just said; the fingerprint of Syncline's last write to it stays. */
    private static RecordState sourceState(SyncUnit unit, Instant now) {
        CanonicalRecord record = unit.record();
        Optional<RecordState> before = unit.sourceState();
        Map<String, Object> holds = new LinkedHashMap<>(before.map(RecordState::fieldValues).orElse(Map.of()));
        Map<String, RecordState.Provenance> provenance = new LinkedHashMap<>(before.map(RecordState::provenance).orElse(Map.of()));
        if (!record.deleted()) {
            holds.putAll(record.fields());
            record.fields().keySet().forEach(field ->
                    provenance.put(field, new RecordState.Provenance(record.sourceSystem(), unit.runId())));
        }
        return new RecordState(record.entity(), record.canonicalId(), record.sourceSystem(), record.sourceId(),
                record.sourceSystem(), record.sourceId(), record.versionHash(), timestamp(unit, before), holds,
                before.map(RecordState::fingerprint).orElse(null), provenance, record.deleted(), now, unit.runId());
    }

    /** The change's time; a change without one keeps the time already known. */
    private static Instant timestamp(SyncUnit unit, Optional<RecordState> before) {
        return unit.sourceTimestamp() != null ? unit.sourceTimestamp()
                : before.map(RecordState::sourceTimestamp).orElse(null);
    }

    /** The audit detail: how the target row was found and how conflicts were decided. */
    static String describe(SyncUnit unit) {
        StringJoiner detail = new StringJoiner("; ");
        if (unit.matchRule() != null) {
            detail.add("matched by " + unit.matchRule());
        }
        unit.notes().forEach(detail::add);
        for (FieldConflict conflict : unit.conflicts()) {
            detail.add("conflict on " + conflict.field() + ": " + conflict.strategy() + " kept the "
                    + (conflict.resolution() == io.syncline.conflict.ConflictResolution.TARGET
                    ? conflict.targetSystem() : conflict.sourceSystem()) + " value");
        }
        return detail.length() == 0 ? null : detail.toString();
    }
}
