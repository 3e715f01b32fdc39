package io.syncline.capture;

import io.syncline.model.CaptureSpec;
import io.syncline.state.StreamPosition;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One captured row change, read from Debezium's change event: the row as a webhook of the system
 * would carry it (column to value, times as ISO-8601 text in UTC), the id of its inbox event, which
 * is its position in the source's change stream, and its key.
 *
 * @param eventId  {@code pg:<lsn>:<op>} (PostgreSQL's log sequence number of the row change) or
 *                 {@code binlog:<file>:<position>:<row>:<op>} (the row in the binary log's event);
 *                 a snapshot's rows, read at one position, add their key. A change read again
 *                 after a restart has the same id, and the inbox refuses it as a duplicate.
 * @param deletion a deleted row: {@code record} holds its last values (at least its key), the
 *                 deletion flag, and, as the entity's modification time, when the delete committed
 *                 (whole seconds in a binary log): the stale check orders captured changes by
 *                 their {@link #position}, not by that time
 * @param committedAt when the change committed in the source database, as its log stamps it (a
 *                 snapshot's rows: when the snapshot read them)
 */
record CapturedChange(String eventId, String key, Map<String, Object> record, boolean deletion, Instant committedAt) {

    private static final String DELETE = "d";
    private static final String SNAPSHOT = "r";
    private static final String SNAPSHOT_ID = "snapshot";
    private static final String POSTGRES = "pg";
    private static final String BINLOG = "binlog";

    /**
     * The change a record carries; null for a record that carries none (a heartbeat, a transaction
     * boundary, a table definition).
     *
     * @param keyPath       the mapping's key column
     * @param deletedFlag   the path a deletion sets true (the mapping's {@code delete.flag}, else {@link CaptureSpec#DELETED_FLAG})
     * @param modifiedAtPath the column of the entity's modification time in this system; null when it holds none
     */
    static CapturedChange of(SourceRecord source, String keyPath, String deletedFlag, String modifiedAtPath) {
        if (!(source.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return null;
        }
        String op = envelope.getString("op");
        boolean deletion = DELETE.equals(op);
        Struct row = envelope.getStruct(deletion ? "before" : "after");
        if (row == null) {
            return null;
        }
        Map<String, Object> record = values(row);
        Object key = value(record, keyPath);
        Struct position = envelope.getStruct("source");
        Instant committedAt = Instant.ofEpochMilli(position.getInt64("ts_ms"));
        if (deletion) {
            record.put(deletedFlag, true);
            if (modifiedAtPath != null) {
                record.put(modifiedAtPath, committedAt.toString());
            }
        }
        return new CapturedChange(eventId(position, op, key), key == null ? null : String.valueOf(key), record, deletion, committedAt);
    }

    /**
     * Where the change of event {@code eventId} stands in its stream, read back from the id
     * {@link #eventId} gave it: a PostgreSQL change by its log sequence number, a binary-log
     * change by the log file's number, the event's position in it and the row in the event; a
     * snapshot's row as {@link StreamPosition#snapshot}. Empty for any other id.
     */
    static Optional<StreamPosition> position(String eventId) {
        String[] parts = eventId.split(":", -1);
        boolean snapshot = parts.length > 1 && SNAPSHOT_ID.equals(parts[0]);
        int first = snapshot ? 1 : 0;
        String stream = parts.length > first ? parts[first] : "";
        if (POSTGRES.equals(stream) && parts.length >= first + 3 && digits(parts[first + 1])) {
            return Optional.of(snapshot ? StreamPosition.snapshot(stream)
                    : new StreamPosition(stream, padded(parts[first + 1], 20)));
        }
        if (BINLOG.equals(stream) && parts.length >= first + 5) {
            String file = parts[first + 1];
            String number = file.substring(file.lastIndexOf('.') + 1);
            if (digits(number) && digits(parts[first + 2]) && digits(parts[first + 3])) {
                return Optional.of(snapshot ? StreamPosition.snapshot(stream) : new StreamPosition(stream,
                        padded(number, 10) + "." + padded(parts[first + 2], 20) + "." + padded(parts[first + 3], 10)));
            }
        }
        return Optional.empty();
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.length() <= 20 && text.chars().allMatch(Character::isDigit);
    }

    /** A number as text of a fixed width, so that text order is number order. */
    private static String padded(String digits, int width) {
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    private static String eventId(Struct source, String op, Object key) {
        boolean postgres = source.schema().field("lsn") != null;
        String at = postgres ? POSTGRES + ":" + source.get("lsn")
                : BINLOG + ":" + source.get("file") + ":" + source.get("pos") + ":" + source.get("row");
        return SNAPSHOT.equals(op) ? SNAPSHOT_ID + ":" + at + ":" + key : at + ":" + op;
    }

    /** A row's columns, each as a webhook would carry it. */
    static Map<String, Object> values(Struct row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : row.schema().fields()) {
            values.put(field.name(), portable(field.schema(), row.get(field)));
        }
        return values;
    }

    /** A column's value by Debezium's semantic type: times as ISO-8601 text, numbers exact. */
    static Object portable(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name() == null ? "" : schema.name();
        return switch (name) {
            case "io.debezium.time.Timestamp" -> Instant.ofEpochMilli((Long) value).toString();
            case "io.debezium.time.MicroTimestamp" -> micros((Long) value).toString();
            case "io.debezium.time.NanoTimestamp" -> Instant.ofEpochSecond(0, (Long) value).toString();
            case "io.debezium.time.ZonedTimestamp" -> OffsetDateTime.parse((String) value).toInstant().toString();
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> value instanceof java.util.Date date
                    ? date.toInstant().atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString()
                    : LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case "io.debezium.time.Time" -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
            case "io.debezium.time.MicroTime" -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L).toString();
            case "io.debezium.time.NanoTime" -> LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
            case "org.apache.kafka.connect.data.Timestamp" -> ((java.util.Date) value).toInstant().toString();
            case "io.debezium.data.VariableScaleDecimal" -> new BigDecimal(
                    new BigInteger(bytes(((Struct) value).get("value"))), ((Struct) value).getInt32("scale"));
            default -> value instanceof ByteBuffer || value instanceof byte[] ? Base64.getEncoder().encodeToString(bytes(value))
                    : value instanceof Struct struct ? values(struct) : value;
        };
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    /** The value at a column, as labelled or in lower case (PostgreSQL folds unquoted names). */
    private static Object value(Map<String, Object> record, String path) {
        Object value = record.get(path);
        return value != null ? value : record.get(path.toLowerCase(java.util.Locale.ROOT));
    }
}
