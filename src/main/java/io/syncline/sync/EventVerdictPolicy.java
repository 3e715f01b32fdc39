package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.state.RecordState;
import io.syncline.state.StreamPosition;

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
 * <p>A change read from its source's change stream (a capture of a database's log) is ordered
 * against the source's last applied change by their positions in that stream, whenever both have
 * one of the same stream: the log's order is the order the changes committed in, which no clock
 * gives (a deletion stamped by the log's event time in whole seconds, a row's own time set by a
 * clock that runs ahead). A snapshot's row is the row as it stands, and applies. Any other event
 * is ordered by its modification time.
 *
 * <p>Ties (same modification time, different content) go to the higher version hash, so that
 * replicas and redeliveries in any order end on the same values.
 */
public final class EventVerdictPolicy {

    public enum Outcome {
        APPLY, STALE, ECHO
    }

    public record Verdict(Outcome outcome, String reason) {

        static Verdict apply() {
            return new Verdict(Outcome.APPLY, null);
        }
    }

    private EventVerdictPolicy() {
    }

    /**
     * @param timestamp           the event's modification time; null when it has none
     * @param position            where the event stands in its source's change stream; null when no stream gave it
     * @param sourceState         what Syncline last synced to the event's source system
     * @param targetState         what Syncline last synced to the target
     * @param incomingFingerprint the event's values as an {@link EchoFingerprint} of its source
     */
    public static Verdict decide(CanonicalRecord record, Instant timestamp, StreamPosition position,
            Optional<RecordState> sourceState, Optional<RecordState> targetState,
            String incomingFingerprint) {
        if (!record.deleted() && sourceState.map(RecordState::fingerprint).filter(incomingFingerprint::equals).isPresent()) {
            return new Verdict(Outcome.ECHO, "the values Syncline wrote to " + record.sourceSystem() + " in run "
                    + sourceState.get().syncRunId());
        }
        if (targetState.isEmpty()) {
            return Verdict.apply();
        }
        RecordState applied = targetState.get();
        RecordState.AppliedVersion fromSource = appliedFrom(applied, record.sourceSystem());
        boolean inStream = position != null && fromSource != null && position.comparable(fromSource.position());
        Instant last = applied.sourceTimestamp();
        // a deletion from the same stream is ordered by the stream; one from elsewhere only by time
        boolean deletedInStream = inStream && record.sourceSystem().equals(applied.sourceSystem());
        if (applied.deleted() && !record.deleted() && !deletedInStream
                && (timestamp == null || last == null || !timestamp.isAfter(last))) {
            return new Verdict(Outcome.STALE, "the record was deleted" + (last == null ? "" : " at " + last)
                    + "; an update no newer than the deletion does not resurrect it");
        }
        if (inStream) {
            return inStreamOrder(position, fromSource.position());
        }
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

    /** A change of the stream after the one applied applies; one before it, or the same again, is stale. */
    private static Verdict inStreamOrder(StreamPosition position, StreamPosition previous) {
        if (position.snapshot()) {
            // the row as it stands: nothing the stream applied before can be newer
            return Verdict.apply();
        }
        int order = position.compareTo(previous);
        if (order > 0) {
            return Verdict.apply();
        }
        return new Verdict(Outcome.STALE, order == 0 ? "this change (at " + position + " of its change stream) was already applied"
                : "at " + position + " of its change stream, before the applied change at " + previous);
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
