package io.syncline.model;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where a change poll starts before it has a watermark of its own ({@code polls.<system>.startAt}),
 * read from the model's text: {@code backfill} (where the entity's last completed backfill from the
 * system began reading; nothing is read until one has completed), {@code beginning} (every record),
 * {@code now} (the changes made after the poll's first run) or an ISO-8601 time with its offset
 * (the changes made after it). Left out: {@code backfill} when such a backfill has completed, else
 * {@code beginning}.
 *
 * @param at the time, for {@link Kind#TIME}; null otherwise
 */
public record PollStartAt(Kind kind, Instant at) {

    public enum Kind {
        /** No start declared: the last completed backfill's where there is one, else the beginning. */
        DEFAULT,
        BACKFILL,
        BEGINNING,
        NOW,
        TIME
    }

    /** What {@code text} says; empty when it is none of the words nor a time with an offset. */
    public static Optional<PollStartAt> parse(String text) {
        if (text == null) {
            return Optional.of(new PollStartAt(Kind.DEFAULT, null));
        }
        switch (text) {
            case "backfill" :
                return Optional.of(new PollStartAt(Kind.BACKFILL, null));
            case "beginning" :
                return Optional.of(new PollStartAt(Kind.BEGINNING, null));
            case "now" :
                return Optional.of(new PollStartAt(Kind.NOW, null));
            default :
                try {
                    return Optional.of(new PollStartAt(Kind.TIME, OffsetDateTime.parse(text).toInstant()));
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
        }
    }

    /** The spec's start, which the model validator has checked. */
    public static PollStartAt of(PollSpec poll) {
        return parse(poll.startAt()).orElseThrow(() -> new IllegalStateException("polls.startAt '" + poll.startAt()
                + "' passed validation but is no start"));
    }
}
