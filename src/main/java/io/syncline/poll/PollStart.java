package io.syncline.poll;

import io.syncline.connector.spi.Watermark;
import io.syncline.model.PollStartAt;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a change poll with no watermark of its own reads from, as its {@code startAt} says
 * ({@link PollStartAt}): after a time (a watermark with no key: the changes stamped after it), from
 * the beginning (no watermark), or not yet ({@code backfill} before any backfill has completed).
 *
 * @param waits   nothing is read yet: the poll starts where a backfill that has not completed will begin
 * @param after   the changes after it are read; null: every record
 * @param reason  where the start comes from, for the log
 */
record PollStart(boolean waits, Watermark after, String reason) {

    /**
     * @param backfill when the entity's newest completed backfill from the system began reading, if one has
     * @param now      the time a {@code now} poll starts at, once kept (called only for one)
     */
    static PollStart of(PollStartAt declared, Optional<Instant> backfill, java.util.function.Supplier<Instant> now) {
        return switch (declared.kind()) {
            case DEFAULT -> backfill.map(PollStart::afterBackfill)
                    .orElseGet(() -> new PollStart(false, null, "no completed backfill: from the beginning"));
            case BACKFILL -> backfill.map(PollStart::afterBackfill)
                    .orElseGet(() -> new PollStart(true, null, "startAt: backfill, and no backfill has completed yet"));
            case BEGINNING -> new PollStart(false, null, "startAt: beginning");
            case NOW -> after(now.get(), "startAt: now, the poll's first run");
            case TIME -> after(declared.at(), "startAt: " + declared.at());
        };
    }

    private static PollStart afterBackfill(Instant started) {
        return after(started, "where the last completed backfill began reading, " + started);
    }

    private static PollStart after(Instant at, String reason) {
        return new PollStart(false, new Watermark(at, null), reason);
    }
}
