package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.state.RecordState;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether an event that is not a duplicate should be applied to a target: not if it is the
 * echo of Syncline's own write to its source, nor if it is older than what the target already
 * has from Syncline (stale), nor if it would resurrect a deleted record.
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
        if (timestamp == null || last == null) {
            return Verdict.apply();
        }
        if (timestamp.isBefore(last)) {
            return new Verdict(Outcome.STALE, "modified at " + timestamp + ", older than the applied change of " + last);
        }
        if (timestamp.equals(last) && record.versionHash().compareTo(applied.versionHash()) <= 0) {
            return new Verdict(Outcome.STALE, record.versionHash().equals(applied.versionHash())
                    ? "this version was already applied"
                    : "modified at the same instant as the applied change (" + last + "); the higher version hash wins ties");
        }
        return Verdict.apply();
    }
}
