package io.syncline.text;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one decoder of request text: webhook bodies, the admin API's bodies ({@link Utf8Bodies})
 * and the console's forms. A byte sequence that is not UTF-8 is refused
 * ({@link InvalidEncodingException}, answered 400 {@code invalid_encoding}), never read as
 * U+FFFD, which would otherwise reach a target system as part of a value.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /**
     * A JSON body as text: strictly UTF-8 (RFC 8259), a leading byte order mark skipped (the RFC lets
     * a parser ignore one), and no NUL, which no JSON text holds outside a string and which is what
     * a UTF-16 or UTF-32 body looks like read as UTF-8.
     */
    public static String json(byte[] body) {
        if (body == null) {
            return "";
        }
        int start = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF
                ? 3 : 0;
        String text = decode(body, start, "send JSON in UTF-8");
        int nul = text.indexOf(0);
        if (nul >= 0) {
            throw new InvalidEncodingException("a NUL byte at character " + nul
                    + " (UTF-16 or UTF-32 is not accepted; send JSON in UTF-8)");
        }
        return text;
    }

    /**
     * A body too large to hold, as text while it streams (a CSV import): the same rules as
     * {@link #json}, each fault raised where the reading reaches it, naming its line.
     */
    public static Reader reader(InputStream body) {
        return new StrictUtf8Reader(body);
    }

    /**
     * Checks an {@code application/x-www-form-urlencoded} body: its names and values, their
     * {@code %XX} escapes decoded, must be UTF-8 (what a browser sends for a UTF-8 page).
     */
    public static void form(byte[] body) {
        if (body == null) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; i++) {
            int escaped = i + 2 < body.length && body[i] == '%' ? hex(body[i + 1], body[i + 2]) : -1;
            if (escaped >= 0) {
                bytes.write(escaped);
                i += 2;
            } else {
                bytes.write(body[i]);
            }
        }
        decode(bytes.toByteArray(), 0, "a form is sent in UTF-8");
    }

    private static String decode(byte[] bytes, int start, String advice) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEncodingException("an invalid UTF-8 byte sequence; " + advice);
        }
    }

    /** The byte two hex digits spell, or -1 when they are not hex digits. */
    private static int hex(byte high, byte low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h << 4 | l;
    }
}
