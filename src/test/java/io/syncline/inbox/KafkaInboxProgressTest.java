package io.syncline.inbox;

import io.syncline.inbox.KafkaInboxProgress.Offsets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A partition stalls while it holds records and the group's offset in it does not move; a slow or busy one does not. */
class KafkaInboxProgressTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final KafkaInboxProgress progress = new KafkaInboxProgress();

    private void at(long seconds, Map<Integer, Offsets> partitions) {
        progress.observe(partitions, T0.plusSeconds(seconds));
    }

    private Duration stallAt(long seconds) {
        return progress.longestStall(T0.plusSeconds(seconds));
    }

    @Test
    void aPartitionWhoseOffsetDoesNotMoveWhileRecordsWaitStallsFromTheFirstReadingThatFoundThem() {
        at(0, Map.of(0, new Offsets(10, 10), 1, new Offsets(4, 4)));
        assertThat(stallAt(0)).isZero();

        at(5, Map.of(0, new Offsets(10, 12), 1, new Offsets(4, 4)));
        at(10, Map.of(0, new Offsets(10, 15), 1, new Offsets(4, 4)));
        at(15, Map.of(0, new Offsets(10, 15), 1, new Offsets(4, 4)));

        assertThat(stallAt(15)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anOffsetThatMovesEndsTheStallEvenWhileRecordsStillWait() {
        at(0, Map.of(0, new Offsets(10, 20)));
        at(60, Map.of(0, new Offsets(10, 25)));
        assertThat(stallAt(60)).isEqualTo(Duration.ofSeconds(60));

        // a slow consumer: behind, but moving
        at(65, Map.of(0, new Offsets(11, 30)));
        assertThat(stallAt(65)).isZero();
        at(70, Map.of(0, new Offsets(12, 35)));
        assertThat(stallAt(70)).isZero();
    }

    @Test
    void aPartitionWithNothingWaitingIsNoStallAndOneStuckPartitionIsEnough() {
        at(0, Map.of(0, new Offsets(5, 9), 1, new Offsets(7, 9), 2, new Offsets(3, 3)));
        at(30, Map.of(0, new Offsets(9, 9), 1, new Offsets(7, 12), 2, new Offsets(8, 9)));
        at(40, Map.of(0, new Offsets(12, 14), 1, new Offsets(7, 14), 2, new Offsets(9, 9)));

        // partition 1 stuck at offset 7 since the first reading; 0 and 2 drain
        assertThat(stallAt(40)).isEqualTo(Duration.ofSeconds(40));

        at(45, Map.of(0, new Offsets(14, 14), 1, new Offsets(14, 14), 2, new Offsets(9, 9)));
        assertThat(stallAt(45)).isZero();
    }

    @Test
    void aPartitionGoneFromTheReadingIsForgotten() {
        at(0, Map.of(0, new Offsets(0, 5), 1, new Offsets(0, 1)));
        at(20, Map.of(1, new Offsets(1, 1)));
        assertThat(stallAt(20)).isZero();
    }
}
