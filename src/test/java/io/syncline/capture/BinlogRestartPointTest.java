package io.syncline.capture;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A binary-log capture saves, after each change, a position it can start again from without
 * skipping a change: after the last event whose rows were all seen, with no rows to skip. The
 * connector's own offset (the event after the row's, less the rows seen) would skip as many rows
 * of the next transaction on MariaDB.
 */
class BinlogRestartPointTest {

    private static final Schema SOURCE = SchemaBuilder.struct().field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("source", SOURCE).build();

    @Test
    void theRestartPointIsAfterTheLastCompleteEventWithNoRowsToSkip() {
        BinlogRestartPoint restart = new BinlogRestartPoint();

        // the first event's rows: none complete yet, so no position is safe
        assertThat(restart.after(change(4066, 0, 4151, 1))).isNull();
        assertThat(restart.after(change(4066, 1, 4151, 2))).isNull();
        // a row of the next event: the first is complete, restart after it
        assertThat(restart.after(change(4343, 0, 4429, 1))).isEqualTo(Map.of("file", "bin.000001", "pos", 4151L, "row", 0));
        assertThat(restart.after(change(4613, 0, 4672, 1))).isEqualTo(Map.of("file", "bin.000001", "pos", 4429L, "row", 0));
    }

    @Test
    void aSnapshotsOffsetIsKeptAsItIs() {
        Map<String, Object> snapshot = Map.of("file", "bin.000001", "pos", 3867L, "row", 0, "snapshot", "INITIAL");
        SourceRecord record = new SourceRecord(Map.of("server", "s"), snapshot, "t", null, null);

        assertThat(new BinlogRestartPoint().after(record)).isEqualTo(snapshot);
    }

    private static SourceRecord change(long eventPosition, int row, long nextPosition, int rowsSeen) {
        Struct source = new Struct(SOURCE).put("file", "bin.000001").put("pos", eventPosition).put("row", row);
        Struct envelope = new Struct(ENVELOPE).put("op", "c").put("source", source);
        return new SourceRecord(Map.of("server", "s"), Map.of("file", "bin.000001", "pos", nextPosition, "row", rowsSeen, "event", 1),
                "t", ENVELOPE, envelope);
    }
}
