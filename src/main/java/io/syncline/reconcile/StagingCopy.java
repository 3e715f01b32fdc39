package io.syncline.reconcile;

import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Streams one side's staged records into its partition in PostgreSQL's binary COPY format: no
 * statement per row, no text to parse on the server, no escaping. Written by one thread.
 *
 * @see <a href="https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4">COPY binary format</a>
 */
final class StagingCopy implements AutoCloseable {

    /** Signature, flags (no OIDs), header extension length 0. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final short FIELDS = 6;
    /** PostgreSQL timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int FLUSH_AT = 1 << 18;

    private final Connection connection;
    private final CopyIn copy;
    private final long runId;
    private final byte side;
    private byte[] buffer = new byte[FLUSH_AT + 4096];
    private int length;
    private long rows;

    StagingCopy(Connection connection, CopyIn copy, long runId, char side) {
        this.connection = connection;
        this.copy = copy;
        this.runId = runId;
        this.side = (byte) side;
        System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
        length = HEADER.length;
    }

    void add(StagedRecord record, long valuesAt) throws SQLException {
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        byte[] hash = record.versionHash();
        ensure(2 + 12 + 5 + 4 + key.length + 4 + hash.length + 12 + 12);
        putShort(FIELDS);
        putInt(8);
        putLong(runId);
        putInt(1);
        buffer[length++] = side;
        putInt(key.length);
        put(key);
        putInt(hash.length);
        put(hash);
        Instant at = record.recordAt();
        if (at == null) {
            putInt(-1);
        } else {
            putInt(8);
            putLong(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000) - POSTGRES_EPOCH_MICROS);
        }
        putInt(8);
        putLong(valuesAt);
        rows++;
        if (length >= FLUSH_AT) {
            flush();
        }
    }

    /** Ends the COPY; @return the rows the server took */
    long finish() throws SQLException {
        ensure(2);
        putShort((short) -1);
        flush();
        long copied = copy.endCopy();
        if (copied != rows) {
            throw new SQLException("COPY took " + copied + " of " + rows + " staged rows");
        }
        return copied;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } finally {
            connection.close();
        }
    }

    private void flush() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(buffer, 0, length);
            length = 0;
        }
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private void put(byte[] bytes) {
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void putShort(short value) {
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putInt(int value) {
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }
}
