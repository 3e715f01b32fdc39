package io.syncline.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A streamed body read as UTF-8 text: what it hands out, and each fault with its line. */
class StrictUtf8ReaderTest {

    private static String read(byte[] body) throws IOException {
        StringWriter text = new StringWriter();
        try (Reader reader = StrictUtf8.reader(new ByteArrayInputStream(body))) {
            reader.transferTo(text);
        }
        return text.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void utf8TextIsReadAsItIsAndALeadingByteOrderMarkIsSkipped() throws IOException {
        assertThat(read(utf8("a,b\r\nÄ,😀\n"))).isEqualTo("a,b\r\nÄ,😀\n");
        assertThat(read(utf8("\uFEFFa,b\n"))).isEqualTo("a,b\n");
        assertThat(read(new byte[0])).isEmpty();
    }

    @Test
    void aCharacterSplitBetweenReadsOfTheStreamIsWhole() throws IOException {
        byte[] body = utf8("x".repeat(16 * 1024 - 1) + "é\n");
        // a stream handing out one byte at a time splits every two-byte character
        InputStream trickle = new ByteArrayInputStream(body) {

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        StringWriter text = new StringWriter();
        StrictUtf8.reader(trickle).transferTo(text);
        assertThat(text.toString()).endsWith("é\n").hasSize(16 * 1024 + 1);
    }

    @Test
    void anInvalidSequenceIsRefusedNamingItsLine() {
        byte[] body = utf8("line one\nline two\nbad \u0000".replace("\u0000", "?"));
        body[body.length - 1] = (byte) 0xC3;
        assertThatThrownBy(() -> read(body)).isInstanceOf(InvalidEncodingException.class)
                .hasMessageContaining("invalid UTF-8 byte sequence on line 3");
        assertThatThrownBy(() -> read(new byte[]{'a', '\n', (byte) 0xFF, 'b'})).isInstanceOf(InvalidEncodingException.class)
                .hasMessageContaining("on line 2");
    }

    @Test
    void aNulIsRefusedNamingItsLine() {
        assertThatThrownBy(() -> read(utf8("a\nb\nc\u0000d"))).isInstanceOf(InvalidEncodingException.class)
                .hasMessageContaining("NUL byte on line 3");
    }
}
