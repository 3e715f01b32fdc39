package io.syncline.poll;

import io.syncline.connector.spi.Watermark;
import io.syncline.model.PollStartAt;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a poll with no watermark yet starts, for each {@code startAt}. */
class PollStartTest {

    private static final Instant BACKFILL = Instant.parse("2026-11-01T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");

    private static PollStart start(String startAt, Optional<Instant> backfill) {
        return PollStart.of(PollStartAt.parse(startAt).orElseThrow(), backfill, () -> NOW);
    }

    @Test
    void leftOutItStartsWhereTheLastCompletedBackfillBeganReadingElseAtTheBeginning() {
        assertThat(start(null, Optional.of(BACKFILL))).satisfies(start -> {
            assertThat(start.waits()).isFalse();
            assertThat(start.after()).isEqualTo(new Watermark(BACKFILL, null));
        });
        assertThat(start(null, Optional.empty())).satisfies(start -> {
            assertThat(start.waits()).isFalse();
            assertThat(start.after()).isNull();
        });
    }

    @Test
    void backfillWaitsForACompletedBackfill() {
        assertThat(start("backfill", Optional.empty()).waits()).isTrue();
        assertThat(start("backfill", Optional.of(BACKFILL)).after()).isEqualTo(new Watermark(BACKFILL, null));
    }

    @Test
    void beginningNowAndATimeSayWhereThemselves() {
        assertThat(start("beginning", Optional.of(BACKFILL)).after()).isNull();
        assertThat(start("now", Optional.of(BACKFILL)).after()).isEqualTo(new Watermark(NOW, null));
        assertThat(start("2024-03-01T01:00:00+01:00", Optional.of(BACKFILL)).after())
                .isEqualTo(new Watermark(Instant.parse("2024-03-01T00:00:00Z"), null));
    }

    @Test
    void anythingElseIsNoStart() {
        assertThat(PollStartAt.parse("yesterday")).isEmpty();
        assertThat(PollStartAt.parse("2024-03-01T00:00:00")).as("a time without its offset").isEmpty();
    }
}
