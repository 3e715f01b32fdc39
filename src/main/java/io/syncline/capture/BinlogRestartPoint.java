package io.syncline.capture;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a binary-log capture can start again without skipping a change. Debezium's MySQL
 * connector gives a row's offset as the binary log event after the row's event plus the rows to
 * skip from there, counting on a transaction's start (MySQL's {@code BEGIN}) to reset it; MariaDB
 * starts a transaction with a GTID event instead, so on MariaDB that offset would skip as many
 * rows of the next event. The position after an event whose rows were all seen, with nothing to
 * skip, is exact: so the restart point is the one after the last complete event. The rows of the
 * event in progress are read again after a restart, and the inbox refuses them as duplicates by
 * their event ids. Offsets of any other kind (PostgreSQL's, a snapshot's) are kept as they are.
 */
final class BinlogRestartPoint {

    private String event;
    private Map<String, Object> afterEvent;
    private Map<String, Object> afterLastComplete;

    /** The offset to save after this record; null when none is known to be safe yet. */
    Map<String, ?> after(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        if (offset == null || !offset.containsKey("row") || offset.containsKey("snapshot")
                || !(record.value() instanceof Struct envelope) || envelope.schema().field("source") == null) {
            return offset;
        }
        Struct source = envelope.getStruct("source");
        String at = source.get("file") + ":" + source.get("pos");
        if (!at.equals(event)) {
            afterLastComplete = afterEvent;
            event = at;
            afterEvent = new HashMap<>(offset);
            afterEvent.put("row", 0);
            afterEvent.remove("event");
        }
        return afterLastComplete;
    }
}
