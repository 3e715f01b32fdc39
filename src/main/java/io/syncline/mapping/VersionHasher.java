package io.syncline.mapping;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 of the canonical fields in a stable form: keys sorted at every level, values already
 * normalised by the field contracts, decimals written plainly. Equal records, equal hashes,
 * whatever order the source sent the fields in.
 *
 * <p>The bytes hashed are a small tagged, length-prefixed encoding (no intermediate JSON): every value is unambiguous ({@code "1"} is not {@code 1}, {@code null}
 * is not {@code "null"}), and hashing stays a few microseconds on the transformer's hot path.
 */
public final class VersionHasher {

    private static final MessageDigest PROTOTYPE = sha256();

    private VersionHasher() {
    }

    public static String hash(Map<String, Object> fields) {
        // Encode into one buffer, then digest once: per-byte digest updates cost more than the hash.
        Encoding encoding = new Encoding();
        feed(encoding, fields);
        return HexFormat.of().formatHex(encoding.digest());
    }

    /** A growable byte buffer; unlike ByteArrayOutputStream it takes no lock per byte. */
    private static final class Encoding {
        private byte[] buf = new byte[512];
        private int count;

        void update(byte value) {
            ensure(1);
            buf[count++] = value;
        }

        void update(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, count, bytes.length);
            count += bytes.length;
        }

        byte[] digest() {
            MessageDigest digest = copy();
            digest.update(buf, 0, count);
            return digest.digest();
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }

    private static void feed(Encoding digest, Object value) {
        if (value == null) {
            digest.update((byte) 'n');
        } else if (value instanceof Map<?, ?> map) {
            digest.update((byte) 'm');
            String[] keys = new String[map.size()];
            int i = 0;
            for (Object key : map.keySet()) {
                keys[i++] = String.valueOf(key);
            }
            Arrays.sort(keys);
            length(digest, keys.length);
            for (String key : keys) {
                text(digest, key);
                feed(digest, map.get(key));
            }
        } else if (value instanceof Collection<?> list) {
            digest.update((byte) 'l');
            length(digest, list.size());
            list.forEach(element -> feed(digest, element));
        } else if (value instanceof BigDecimal decimal) {
            digest.update((byte) 'd');
            text(digest, decimal.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            digest.update((byte) (value instanceof Boolean ? 'b' : 'i'));
            text(digest, value.toString());
        } else {
            digest.update((byte) 's');
            text(digest, value.toString());
        }
    }

    private static void text(Encoding digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        length(digest, bytes.length);
        digest.update(bytes);
    }

    private static void length(Encoding digest, int length) {
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
    }

    private static MessageDigest copy() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
