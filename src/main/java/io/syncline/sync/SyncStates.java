package io.syncline.sync;

import io.syncline.conflict.FieldConflict;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.CanonicalValues;
import io.syncline.mapping.RecordTransformer;
import io.syncline.sensitive.SensitiveValues;
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

    static Changes after(SyncUnit unit, RecordTransformer transformer, SensitiveValues sensitive, Instant now) {
        CanonicalRecord record = unit.record();
        Optional<RecordState> before = unit.targetState();
        Map<String, Object> holds = new LinkedHashMap<>(unit.targetValues() != null ? unit.targetValues()
                : before.map(RecordState::fieldValues).orElse(Map.of()));
        Map<String, RecordState.Provenance> provenance = new LinkedHashMap<>(before.map(RecordState::provenance).orElse(Map.of()));
        String fingerprint = before.map(RecordState::fingerprint).orElse(null);
        boolean mirrors = false;
        Map<String, Object> overwritten = before.map(RecordState::overwrittenValues).orElse(Map.of());
        Instant overwrittenModifiedAt = before.map(RecordState::overwrittenModifiedAt).orElse(null);
        if (!record.deleted()) {
            if (unit.targetValues() != null) {
                overwritten = overwritten(unit.targetValues(), unit.values());
                String modifiedAt = transformer.entity(record.entity()).modifiedAt();
                overwrittenModifiedAt = modifiedAt == null ? null : CanonicalValues.instant(unit.targetValues().get(modifiedAt));
            }
            holds.putAll(unit.values());
            holds.putAll(unit.quantitiesHeld());
            unit.valueSources().forEach((field, system) -> {
                if (!system.equals(unit.target())) {
                    provenance.put(field, new RecordState.Provenance(system, unit.runId()));
                }
            });
            // Only a target that now holds what the source holds can send an echo; one that kept
            // values of its own (an independent edit, a conflict it won) has news for the source.
            // a sensitive field compares, and is fingerprinted, by its digest: the state keeps no other
            mirrors = mirrorsSource(unit, transformer, sensitive.seal(record.entity(), holds), sensitive);
            fingerprint = mirrors ? EchoFingerprint.of(transformer, record.entity(), unit.target(), sensitive.seal(record.entity(), holds))
                    : null;
        }
        Map<String, RecordState.AppliedVersion> applied = new LinkedHashMap<>(before.map(RecordState::appliedFrom).orElse(Map.of()));
        if (!unit.resync()) {
            // A re-sync pushes values already known; it is no change of the master to order by.
            applied.put(record.sourceSystem(), new RecordState.AppliedVersion(unit.sourceTimestamp(), record.versionHash(),
                    unit.streamPosition()));
        }
        RecordState target = new RecordState(record.entity(), record.canonicalId(), unit.target(), unit.targetId(),
                record.sourceSystem(), record.sourceId(), record.versionHash(), timestamp(unit, before), holds, fingerprint,
                provenance, record.deleted(), now, unit.runId(), overwritten, overwrittenModifiedAt, applied,
                unit.quantityMarks() != null ? unit.quantityMarks() : before.map(RecordState::quantities).orElse(null));
        if (record.sourceSystem().equals(unit.target())) {
            return new Changes(target, null);
        }
        return new Changes(target, sourceState(unit, transformer, sensitive, now, mirrors));
    }

    /**
     * What the source holds, as its event just said; the fingerprint of Syncline's last write to
     * it stays, unless Syncline has just written the source itself and the target now mirrors
     * it: then what the source holds is what Syncline made both hold, and its webhook of it is an echo.
     */
    private static RecordState sourceState(SyncUnit unit, RecordTransformer transformer, SensitiveValues sensitive, Instant now,
            boolean mirrors) {
        CanonicalRecord record = unit.record();
        Optional<RecordState> before = unit.sourceState();
        Map<String, Object> holds = new LinkedHashMap<>(before.map(RecordState::fieldValues).orElse(Map.of()));
        Map<String, RecordState.Provenance> provenance = new LinkedHashMap<>(before.map(RecordState::provenance).orElse(Map.of()));
        if (!record.deleted()) {
            record.fields().forEach((field, value) -> {
                // A late report of a value Syncline overwrote there tells nothing of what it holds now.
                if (!unit.lateFields().contains(field)) {
                    holds.put(field, value);
                    provenance.put(field, new RecordState.Provenance(record.sourceSystem(), unit.runId()));
                }
            });
        }
        String fingerprint = unit.sourceWritten() && mirrors
                ? EchoFingerprint.of(transformer, record.entity(), record.sourceSystem(), sensitive.seal(record.entity(), holds))
                : before.map(RecordState::fingerprint).orElse(null);
        return new RecordState(record.entity(), record.canonicalId(), record.sourceSystem(), record.sourceId(),
                record.sourceSystem(), record.sourceId(), record.versionHash(), timestamp(unit, before), holds,
                fingerprint, provenance, record.deleted(), now, unit.runId(),
                before.map(RecordState::overwrittenValues).orElse(null),
                before.map(RecordState::overwrittenModifiedAt).orElse(null),
                before.map(RecordState::appliedFrom).orElse(null),
                before.map(RecordState::quantities).orElse(null));
    }

    /** Whether the target holds the source's values on every field the echo fingerprint covers that the source has. */
    private static boolean mirrorsSource(SyncUnit unit, RecordTransformer transformer, Map<String, Object> holds,
            SensitiveValues sensitive) {
        Map<String, Object> source = new LinkedHashMap<>(unit.sourceState().map(RecordState::fieldValues).orElse(Map.of()));
        unit.record().fields().forEach((field, value) -> {
            if (!unit.lateFields().contains(field)) {
                source.put(field, value);
            }
        });
        Map<String, Object> compared = sensitive.seal(unit.entity(), source);
        java.util.Set<String> quantities = QuantityChanges.fields(transformer.entity(unit.entity()));
        for (String field : EchoFingerprint.fields(transformer, unit.entity(), unit.target())) {
            // quantities differ between systems by the changes each has yet to hear of: they add up, not mirror
            if (!quantities.contains(field) && compared.containsKey(field)
                    && !CanonicalValues.same(holds.get(field), compared.get(field))) {
                return false;
            }
        }
        return true;
    }

    /** Each written value that replaces a different one the target had: field to the value replaced. */
    private static Map<String, Object> overwritten(Map<String, Object> current, Map<String, Object> written) {
        Map<String, Object> replaced = new LinkedHashMap<>();
        written.forEach((field, value) -> {
            if (!CanonicalValues.same(current.get(field), value)) {
                replaced.put(field, current.get(field));
            }
        });
        return replaced;
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
                    + conflict.winner() + " value");
        }
        return detail.length() == 0 ? null : detail.toString();
    }
}
