package io.syncline.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * A download's body written while it is made, from a worker thread: the bytes go to the
 * response in chunks of {@value #CHUNK}, and each chunk is waited for until it is written, so that
 * a slow client holds back the export rather than the memory fills with what it has not read.
 */
final class ResponseStream extends OutputStream {

    private static final int CHUNK = 64 * 1024;

    private final HttpServerResponse response;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(CHUNK);

    ResponseStream(HttpServerResponse response) {
        this.response = response.setChunked(true);
    }

    @Override
    public void write(int b) {
        pending.write(b);
        if (pending.size() >= CHUNK) {
            flush();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
        if (pending.size() >= CHUNK) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (pending.size() > 0) {
            Buffer chunk = Buffer.buffer(pending.toByteArray());
            pending.reset();
            response.write(chunk).toCompletionStage().toCompletableFuture().join();
        }
    }

    /** The rest written, and the response ended. */
    @Override
    public void close() {
        flush();
        response.end();
    }
}
