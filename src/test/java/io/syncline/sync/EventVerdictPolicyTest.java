package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.state.RecordState;
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
        return EventVerdictPolicy.decide(record, at, Optional.empty(), target, "fp").outcome();
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
        assertThat(EventVerdictPolicy.decide(record("b", false), T.plusSeconds(5), writtenToCrm, Optional.empty(), "fp")
                .outcome()).isEqualTo(ECHO);
        assertThat(EventVerdictPolicy.decide(record("b", false), T.plusSeconds(5), writtenToCrm, Optional.empty(), "other")
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
        assertThat(EventVerdictPolicy.decide(fromErp, T.minusSeconds(60), Optional.empty(), billing, "fp").outcome())
                .as("erp's first change: weighed field by field, not stale").isEqualTo(APPLY);
    }
}
