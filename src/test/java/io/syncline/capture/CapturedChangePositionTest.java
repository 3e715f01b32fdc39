package io.syncline.capture;

import io.syncline.state.StreamPosition;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A captured change's position, read back from its event id: its order is the stream's, whatever the numbers' widths. */
class CapturedChangePositionTest {

    private static StreamPosition position(String eventId) {
        return CapturedChange.position(eventId).orElseThrow();
    }

    @Test
    void postgresChangesAreOrderedByTheirLogSequenceNumbers() {
        assertThat(position("pg:9999:u").compareTo(position("pg:10000:d"))).isNegative();
        assertThat(position("pg:10000:u").compareTo(position("pg:10000:u"))).isZero();
        assertThat(position("pg:9999:u").stream()).isEqualTo("pg");
    }

    @Test
    void binlogChangesAreOrderedByFileThenPositionThenRow() {
        assertThat(position("binlog:mariadb-bin.000009:99999:3:u").compareTo(position("binlog:mariadb-bin.000010:4:0:d")))
                .as("a later file").isNegative();
        assertThat(position("binlog:mariadb-bin.000010:999:0:u").compareTo(position("binlog:mariadb-bin.000010:1000:0:d")))
                .as("a later event in the file").isNegative();
        assertThat(position("binlog:mariadb-bin.000010:1000:9:u").compareTo(position("binlog:mariadb-bin.000010:1000:10:d")))
                .as("a later row of the event").isNegative();
        assertThat(position("binlog:mariadb-bin.000010:1000:9:u").comparable(position("pg:1000:u"))).isFalse();
    }

    @Test
    void aSnapshotsRowStandsBeforeTheStream() {
        assertThat(position("snapshot:pg:12345:key:with:colons")).isEqualTo(StreamPosition.snapshot("pg"));
        assertThat(position("snapshot:binlog:mariadb-bin.000001:328:0:k-1")).isEqualTo(StreamPosition.snapshot("binlog"));
    }

    @Test
    void otherEventIdsHaveNoPosition() {
        assertThat(CapturedChange.position("cdc:/data/ContactChangeEvent:42:003xx")).isEqualTo(Optional.empty());
        assertThat(CapturedChange.position("evt_1N2b3c")).isEmpty();
        assertThat(CapturedChange.position("pg:not-a-number:u")).isEmpty();
    }
}
