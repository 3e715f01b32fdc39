package io.syncline.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A body read as text while it streams ({@link StrictUtf8#reader}): strictly UTF-8, a leading
 * byte order mark skipped, no NUL; the first fault is an {@link InvalidEncodingException} naming
 * its line. The text before a fault is handed out first, so that the line is exact.
 */
final class StrictUtf8Reader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024).flip();
    private boolean ended;
    private boolean flushed;
    private boolean first = true;
    private long line = 1;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (flushed) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            CoderResult result = decoder.decode(bytes, out, ended);
            if (result.isError()) {
                if (out.position() > offset) {
                    break;
                }
                throw new InvalidEncodingException("an invalid UTF-8 byte sequence on line " + line + "; send the text in UTF-8");
            }
            if (result.isUnderflow()) {
                if (ended) {
                    decoder.flush(out);
                    flushed = true;
                    if (out.position() == offset) {
                        return -1;
                    }
                    break;
                } else {
                    fill();
                }
            }
        }
        int read = out.position() - offset;
        if (first) {
            first = false;
            if (buffer[offset] == '\uFEFF') {
                System.arraycopy(buffer, offset + 1, buffer, offset, --read);
                if (read == 0) {
                    return this.read(buffer, offset, length);
                }
            }
        }
        for (int i = offset; i < offset + read; i++) {
            if (buffer[i] == 0) {
                throw new InvalidEncodingException("a NUL byte on line " + line + " (UTF-16 or UTF-32 is not accepted; send UTF-8)");
            }
            if (buffer[i] == '\n') {
                line++;
            }
        }
        return read;
    }

    private void fill() throws IOException {
        bytes.compact();
        int read = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (read < 0) {
            ended = true;
        } else {
            bytes.position(bytes.position() + read);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
