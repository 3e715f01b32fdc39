package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.state.RecordState;
import io.syncline.state.StreamPosition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.syncline.sync.EventVerdictPolicy.Outcome.APPLY;
import static io.syncline.sync.EventVerdictPolicy.Outcome.ECHO;
import static io.syncline.sync.EventVerdictPolicy.Outcome.STALE;
import static org.assertj.core.api.Assertions.assertThat;

class EventVerdictPolicyTest {

    private static final Instant T = Instant.parse("2024-01-01T12:00:00Z");

    private static CanonicalRecord record(String hash, boolean deleted) {
        return new CanonicalRecord("contact", "crm", "c-1", Map.of(), hash, "canon-1", deleted);
    }

    private static Optional<RecordState> applied(String hash, Instant at, boolean deleted, String fingerprint) {
        return Optional.of(new RecordState("contact", "canon-1", "billing", "b-1", "crm", "c-1", hash, at, Map.of(),
                fingerprint, Map.of(), deleted, T, "inbox-1"));
    }

    private static EventVerdictPolicy.Outcome decide(CanonicalRecord record, Instant at, Optional<RecordState> target) {
        return EventVerdictPolicy.decide(record, at, null, Optional.empty(), target, "fp").outcome();
    }

    @Test
    void firstEventAndNewerEventsApply() {
        assertThat(decide(record("b", false), T, Optional.empty())).isEqualTo(APPLY);
        assertThat(decide(record("b", false), T.plusSeconds(1), applied("a", T, false, null))).isEqualTo(APPLY);
    }

    @Test
    void olderEventIsStale() {
        assertThat(decide(record("b", false), T.minusSeconds(1), applied("a", T, false, null))).isEqualTo(STALE);
    }

    @Test
    void tieGoesToTheHigherVersionHashWhateverTheOrder() {
        assertThat(decide(record("b", false), T, applied("a", T, false, null))).isEqualTo(APPLY);
        assertThat(decide(record("a", false), T, applied("b", T, false, null))).isEqualTo(STALE);
        assertThat(decide(record("a", false), T, applied("a", T, false, null))).isEqualTo(STALE);
    }

    @Test
    void eventsWithoutTimestampsCannotBeStaleExceptAgainstATombstone() {
        assertThat(decide(record("b", false), null, applied("a", T, false, null))).isEqualTo(APPLY);
        assertThat(decide(record("b", false), null, applied("a", T, true, null))).isEqualTo(STALE);
    }

    @Test
    void tombstoneHoldsAgainstUpdatesNoNewerThanTheDeletion() {
        assertThat(decide(record("b", false), T, applied("a", T, true, null))).isEqualTo(STALE);
        assertThat(decide(record("b", false), T.plusSeconds(1), applied("a", T, true, null))).isEqualTo(APPLY);
    }

    @Test
    void eventMatchingTheFingerprintOfOurWriteToItsSourceIsAnEcho() {
        Optional<RecordState> writtenToCrm = applied("x", T, false, "fp");
        assertThat(EventVerdictPolicy.decide(record("b", false), T.plusSeconds(5), null, writtenToCrm, Optional.empty(), "fp")
                .outcome()).isEqualTo(ECHO);
        assertThat(EventVerdictPolicy.decide(record("b", false), T.plusSeconds(5), null, writtenToCrm, Optional.empty(), "other")
                .outcome()).isEqualTo(APPLY);
    }

    @Test
    void eachSourceIsOrderedOnItsOwnAndAnotherSourcesChangeIsNotStale() {
        // billing's state: crm's change of T applied, then billing itself reported a change of T+10s.
        Optional<RecordState> billing = Optional.of(new RecordState("contact", "canon-1", "billing", "b-1", "billing", "b-1",
                "h2", T.plusSeconds(10), Map.of(), null, Map.of(), false, T, "inbox-2", null, null,
                Map.of("crm", new RecordState.AppliedVersion(T, "a"))));

        assertThat(decide(record("b", false), T.minusSeconds(1), billing)).as("older than crm's last").isEqualTo(STALE);
        assertThat(decide(record("b", false), T.plusSeconds(5), billing))
                .as("newer than crm's last, though older than billing's own change").isEqualTo(APPLY);
        CanonicalRecord fromErp = new CanonicalRecord("contact", "erp", "e-1", Map.of(), "c", "canon-1", false);
        assertThat(EventVerdictPolicy.decide(fromErp, T.minusSeconds(60), null, Optional.empty(), billing, "fp").outcome())
                .as("erp's first change: weighed field by field, not stale").isEqualTo(APPLY);
    }

    private static Optional<RecordState> appliedInStream(String hash, Instant at, boolean deleted, StreamPosition position) {
        return Optional.of(new RecordState("contact", "canon-1", "billing", "b-1", "crm", "c-1", hash, at, Map.of(), null,
                Map.of(), deleted, T, "inbox-1", null, null, Map.of("crm", new RecordState.AppliedVersion(at, hash, position))));
    }

    private static EventVerdictPolicy.Outcome decide(CanonicalRecord record, Instant at, StreamPosition position,
            Optional<RecordState> target) {
        return EventVerdictPolicy.decide(record, at, position, Optional.empty(), target, "fp").outcome();
    }

    @Test
    void capturedChangesAreOrderedByTheirStreamNotByTheirClocks() {
        StreamPosition update = new StreamPosition("binlog", "0000000001.00000000000000000400.0000000000");
        StreamPosition delete = new StreamPosition("binlog", "0000000001.00000000000000000900.0000000000");
        // the update stamped T.277018 by the row's own column, the delete T by the log's whole seconds
        Optional<RecordState> updated = appliedInStream("a", T.plusNanos(277_018_000), false, update);
        assertThat(decide(record("b", true), T, delete, updated)).as("a delete after the update in the stream").isEqualTo(APPLY);
        // the update stamped 5 s ahead by the application's clock
        assertThat(decide(record("b", true), T, delete, appliedInStream("a", T.plusSeconds(5), false, update)))
                .as("a delete after an update whose clock ran ahead").isEqualTo(APPLY);
        assertThat(decide(record("b", false), T.plusSeconds(60), update, appliedInStream("a", T, true, delete)))
                .as("an update before the applied delete in the stream, however late its clock").isEqualTo(STALE);
        assertThat(decide(record("a", false), T, update, appliedInStream("a", T, false, update)))
                .as("the same change again").isEqualTo(STALE);
        assertThat(decide(record("c", false), T.minusSeconds(1), delete, appliedInStream("a", T, true, update)))
                .as("a row made again after its delete, in the stream").isEqualTo(APPLY);
    }

    @Test
    void aSnapshotsRowAppliesAndChangesAfterItFollowIt() {
        StreamPosition streamed = new StreamPosition("pg", "00000000000000000900");
        assertThat(decide(record("b", false), T.minusSeconds(60), StreamPosition.snapshot("pg"),
                appliedInStream("a", T, false, streamed))).as("a snapshot's row, read again").isEqualTo(APPLY);
        assertThat(decide(record("b", true), T, new StreamPosition("pg", "00000000000000000001"),
                appliedInStream("a", T.plusSeconds(5), false, StreamPosition.snapshot("pg")))).isEqualTo(APPLY);
    }

    @Test
    void positionsOfAnotherStreamOrNoneAreOrderedByTime() {
        StreamPosition binlog = new StreamPosition("binlog", "0000000001.00000000000000000900.0000000000");
        StreamPosition pg = new StreamPosition("pg", "00000000000000000900");
        assertThat(decide(record("b", true), T, pg, appliedInStream("a", T.plusSeconds(1), false, binlog))).isEqualTo(STALE);
        assertThat(decide(record("b", true), T, null, appliedInStream("a", T.plusSeconds(1), false, binlog))).isEqualTo(STALE);
        assertThat(decide(record("b", true), T, pg, applied("a", T.plusSeconds(1), false, null))).isEqualTo(STALE);
    }
}
