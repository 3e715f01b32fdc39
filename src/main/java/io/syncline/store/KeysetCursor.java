package io.syncline.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Where a keyset page ended: the sort key of its last row, as an opaque text a client hands back
 * for the next page ({@code cursor=…}). The next page reads on from that key through the index,
 * however deep it is, where an offset would read and skip every row before it. The key's parts
 * are joined by NUL, which no stored text holds (PostgreSQL cannot store it), and Base64url encoded.
 */
public final class KeysetCursor {

    private static final String SEPARATOR = "\u0000";

    private KeysetCursor() {
    }

    public static String encode(String... parts) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key's {@code parts} parts.
     *
     * @throws InvalidCursorException when {@code cursor} is not one this class made with as many parts
     */
    public static List<String> decode(String cursor, int parts) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new InvalidCursorException();
        }
        List<String> key = List.of(text.split(SEPARATOR, -1));
        if (key.size() != parts) {
            throw new InvalidCursorException();
        }
        return key;
    }
}
