package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingsTest {

    private final Readings<Integer> readings = Readings.bounded();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aTextReadAgainIsMemoisedFromItsSecondReading() {
        for (int i = 0; i < 5; i++) {
            assertThat(readings.get("020 7946 0018", this::read)).isEqualTo(13);
        }

        assertThat(reads).hasValue(2);
    }

    @Test
    void aTextReadAgainAfterManyOthersIsStillMemoised() {
        readings.get("020 7946 0018", this::read);
        for (int i = 0; i < 10_000; i++) {
            readings.get("020 79" + i, this::read);
        }
        readings.get("020 7946 0018", this::read);
        reads.set(0);

        readings.get("020 7946 0018", this::read);

        assertThat(reads).hasValue(0);
    }

    private Integer read(String text) {
        reads.incrementAndGet();
        return text.length();
    }
}
