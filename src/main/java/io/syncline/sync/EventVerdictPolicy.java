package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.state.RecordState;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether an event that is not a duplicate should be applied to a target: not if it is the
 * echo of Syncline's own write to its source, nor if it is older than the last change from the
 * same source already applied to the target (stale), nor if it would resurrect a deleted record.
 *
 * <p>Staleness orders each source's own events. A change from another system is not stale
 * because the target changed since: the conflict processor weighs it field by field (an
 * independent edit flows, a conflict goes to its strategy), so that a strategy such as
 * first-write-wins or target-wins can decide, and both sides of a two-way sync agree.
 *
 * <p>Ties (same modification time, different content) go to the higher version hash, so that
 * replicas and redeliveries in any order end on the same values.
 */
public final class EventVerdictPolicy {

    public enum Outcome { APPLY, STALE, ECHO }

    public record Verdict(Outcome outcome, String reason) {

        static Verdict apply() {
            return new Verdict(Outcome.APPLY, null);
        }
    }

    private EventVerdictPolicy() {
    }

    /**
     * @param sourceState         what Syncline last synced to the event's source system
     * @param targetState         what Syncline last synced to the target
     * @param incomingFingerprint the event's values as an {@link EchoFingerprint} of its source
     */
    public static Verdict decide(CanonicalRecord record, Instant timestamp, Optional<RecordState> sourceState,
                                 Optional<RecordState> targetState, String incomingFingerprint) {
        if (!record.deleted() && sourceState.map(RecordState::fingerprint).filter(incomingFingerprint::equals).isPresent()) {
            return new Verdict(Outcome.ECHO, "the values Syncline wrote to " + record.sourceSystem() + " in run "
                    + sourceState.get().syncRunId());
        }
        if (targetState.isEmpty()) {
            return Verdict.apply();
        }
        RecordState applied = targetState.get();
        Instant last = applied.sourceTimestamp();
        if (applied.deleted() && !record.deleted() && (timestamp == null || last == null || !timestamp.isAfter(last))) {
            return new Verdict(Outcome.STALE, "the record was deleted" + (last == null ? "" : " at " + last)
                    + "; an update no newer than the deletion does not resurrect it");
        }
        RecordState.AppliedVersion fromSource = appliedFrom(applied, record.sourceSystem());
        if (timestamp == null || fromSource == null || fromSource.modifiedAt() == null) {
            return Verdict.apply();
        }
        Instant previous = fromSource.modifiedAt();
        if (timestamp.isBefore(previous)) {
            return new Verdict(Outcome.STALE, "modified at " + timestamp + ", older than the applied change of " + previous);
        }
        if (timestamp.equals(previous) && record.versionHash().compareTo(fromSource.versionHash()) <= 0) {
            return new Verdict(Outcome.STALE, record.versionHash().equals(fromSource.versionHash())
                    ? "this version was already applied"
                    : "modified at the same instant as the applied change (" + previous + "); the higher version hash wins ties");
        }
        return Verdict.apply();
    }

    /** The last change from {@code source} applied to the target (a state from before per-source versions: its last change, if from that source). */
    private static RecordState.AppliedVersion appliedFrom(RecordState target, String source) {
        RecordState.AppliedVersion version = target.appliedFrom().get(source);
        if (version == null && target.appliedFrom().isEmpty() && source.equals(target.sourceSystem())) {
            return new RecordState.AppliedVersion(target.sourceTimestamp(), target.versionHash());
        }
        return version;
    }
}
