package io.syncline.reconcile;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One side's compared values (canonical JSON) for a run, appended to a local temporary file while
 * the side is staged and read back by offset only for the keys that differ. The values of the
 * equal records, nearly all of them, never travel to the database, and the heap never holds
 * them: the staging row keeps only the offset. Appended by one thread; read after it finished.
 */
final class ValueSpill implements AutoCloseable {

    private final Path file;
    private final OutputStream out;
    private final byte[] prefix = new byte[4];
    private long size;
    private FileChannel reader;

    private ValueSpill(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.APPEND), 1 << 16);
    }

    static ValueSpill create(long runId, char side) throws IOException {
        return new ValueSpill(Files.createTempFile("syncline-reconcile-" + runId + "-" + side + "-", ".values"));
    }

    /** @return the offset to read the values back at */
    long append(byte[] values) throws IOException {
        long at = size;
        prefix[0] = (byte) (values.length >>> 24);
        prefix[1] = (byte) (values.length >>> 16);
        prefix[2] = (byte) (values.length >>> 8);
        prefix[3] = (byte) values.length;
        out.write(prefix);
        out.write(values);
        size += 4 + values.length;
        return at;
    }

    /** Ends appending: what was appended can be read from now on. */
    void finishWriting() throws IOException {
        out.close();
    }

    String read(long at) throws IOException {
        if (reader == null) {
            reader = FileChannel.open(file, StandardOpenOption.READ);
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(length, at);
        ByteBuffer values = ByteBuffer.allocate(length.getInt(0));
        readFully(values, at + 4);
        return new String(values.array(), StandardCharsets.UTF_8);
    }

    private void readFully(ByteBuffer buffer, long at) throws IOException {
        long position = at;
        while (buffer.hasRemaining()) {
            int read = reader.read(buffer, position);
            if (read < 0) {
                throw new IOException("Value file " + file + " ends at " + position + ", before the values staged at " + at);
            }
            position += read;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
            if (reader != null) {
                reader.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
