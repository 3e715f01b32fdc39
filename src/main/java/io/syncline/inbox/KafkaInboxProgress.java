package io.syncline.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether the consumer group moves on in each partition of the inbox topic, from the readings of
 * {@link KafkaInboxProbe}: a partition stalls while it holds records and the offset the group reads
 * from next has not moved since a reading first found it so. The stall ends as soon as a reading
 * finds that offset moved, or no record waiting. A slow consumer is no stall (its offset moves),
 * and neither is a steady stream of records (each partition's offset moves between two readings);
 * a consumer stuck on one record, or no consumer at all, is. What happened before this replica
 * started is not known: a partition found stalled counts from the first reading.
 */
final class KafkaInboxProgress {

    /** A partition's offsets: where the group reads from next, and the end of the partition. */
    record Offsets(long next, long end) {

        /** Records after the group's offset. */
        long lag() {
            return Math.max(0, end - next);
        }
    }

    private record Waiting(long next, Instant since) {
    }

    private final Map<Integer, Waiting> waiting = new HashMap<>();

    /** One reading of every partition of the topic, taken at {@code now}. */
    synchronized void observe(Map<Integer, Offsets> partitions, Instant now) {
        waiting.keySet().retainAll(partitions.keySet());
        partitions.forEach((partition, offsets) -> {
            if (offsets.lag() == 0) {
                waiting.remove(partition);
            } else {
                waiting.compute(partition, (key, before) -> before != null && before.next() == offsets.next()
                        ? before : new Waiting(offsets.next(), now));
            }
        });
    }

    /** The longest any partition has held records without the group's offset moving, as of {@code now}; zero when none. */
    synchronized Duration longestStall(Instant now) {
        return waiting.values().stream().map(w -> Duration.between(w.since(), now))
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
