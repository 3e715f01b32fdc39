package io.syncline.mapping;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/**
 * SHA-256 of the canonical fields in a stable form: keys sorted at every level, values already
 * normalised by the field contracts, decimals written plainly. Equal records, equal hashes,
 * whatever order the source sent the fields in.
 *
 * <p>The bytes hashed are a small tagged, length-prefixed encoding (no intermediate JSON): every
 * value is unambiguous ({@code "1"} is not {@code 1}, {@code null} is not {@code "null"}). The
 * hashes are stored (record state, idempotency keys, echo fingerprints), so the encoding must
 * never change; what may change is how fast it is written. It is on the transformer's hot path,
 * hence a reused per-thread buffer, ASCII written without an intermediate byte array, and a
 * {@link KeyOrder} compiled once per contract so that a record's keys are not sorted per record.
 */
public final class VersionHasher {

    private static final MessageDigest PROTOTYPE = sha256();
    private static final HexFormat HEX = HexFormat.of();
    /** A buffer grown past this by an unusually large record is not kept for the next one. */
    private static final int KEPT_BUFFER = 64 * 1024;
    private static final ThreadLocal<Encoding> BUFFERS = ThreadLocal.withInitial(Encoding::new);

    private VersionHasher() {
    }

    /** The sorted, pre-encoded names of the fields a contract can produce. */
    public static final class KeyOrder {

        private final String[] keys;
        private final byte[][] encoded;

        private KeyOrder(String[] keys) {
            this.keys = keys;
            this.encoded = new byte[keys.length][];
            for (int i = 0; i < keys.length; i++) {
                Encoding encoding = new Encoding();
                encoding.text(keys[i]);
                encoded[i] = Arrays.copyOf(encoding.buf, encoding.count);
            }
        }

        public static KeyOrder of(Collection<String> keys) {
            return new KeyOrder(keys.stream().distinct().sorted().toArray(String[]::new));
        }
    }

    public static String hash(Map<String, Object> fields) {
        Encoding encoding = encoding();
        encoding.feed(fields);
        return encoding.hexDigest();
    }

    /**
     * The same hash as {@link #hash(Map)}, faster when every key of {@code fields} is in
     * {@code order} (as for a record its contract produced); otherwise it falls back to sorting.
     */
    public static String hash(Map<String, Object> fields, KeyOrder order) {
        Encoding encoding = encoding();
        encoding.update((byte) 'm');
        encoding.length(fields.size());
        int written = 0;
        for (int i = 0; i < order.keys.length; i++) {
            Object value = fields.get(order.keys[i]);
            if (value != null || fields.containsKey(order.keys[i])) {
                encoding.update(order.encoded[i]);
                encoding.feed(value);
                written++;
            }
        }
        if (written != fields.size()) {
            // A key the contract does not know of: start again the general way.
            encoding.count = 0;
            encoding.feed(fields);
        }
        return encoding.hexDigest();
    }

    private static Encoding encoding() {
        Encoding encoding = BUFFERS.get();
        if (encoding.buf.length > KEPT_BUFFER) {
            encoding = new Encoding();
            BUFFERS.set(encoding);
        }
        encoding.count = 0;
        return encoding;
    }

    /** A growable byte buffer; unlike ByteArrayOutputStream it takes no lock per byte. */
    private static final class Encoding {

        private byte[] buf = new byte[1024];
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

        String hexDigest() {
            MessageDigest digest = copy();
            digest.update(buf, 0, count);
            return HEX.formatHex(digest.digest());
        }

        void feed(Object value) {
            if (value == null) {
                update((byte) 'n');
            } else if (value instanceof String text) {
                update((byte) 's');
                text(text);
            } else if (value instanceof Map<?, ?> map) {
                map(map);
            } else if (value instanceof Collection<?> list) {
                update((byte) 'l');
                length(list.size());
                list.forEach(this::feed);
            } else if (value instanceof BigDecimal decimal) {
                update((byte) 'd');
                text(decimal.toPlainString());
            } else if (value instanceof Number || value instanceof Boolean) {
                update((byte) (value instanceof Boolean ? 'b' : 'i'));
                text(value.toString());
            } else {
                update((byte) 's');
                text(value.toString());
            }
        }

        private void map(Map<?, ?> map) {
            update((byte) 'm');
            String[] keys = new String[map.size()];
            int i = 0;
            for (Object key : map.keySet()) {
                keys[i++] = String.valueOf(key);
            }
            if (!(map instanceof SortedMap<?, ?> sorted && sorted.comparator() == null)) {
                Arrays.sort(keys);
            }
            length(keys.length);
            for (String key : keys) {
                text(key);
                feed(map.get(key));
            }
        }

        /** The UTF-8 bytes with their length in front; ASCII, the usual case, without an intermediate array. */
        void text(String text) {
            int chars = text.length();
            ensure(4 + chars);
            int start = count;
            count += 4;
            for (int i = 0; i < chars; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    count = start;
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    length(bytes.length);
                    update(bytes);
                    return;
                }
                buf[count++] = (byte) c;
            }
            writeLength(start, chars);
        }

        void length(int length) {
            ensure(4);
            writeLength(count, length);
            count += 4;
        }

        private void writeLength(int at, int length) {
            buf[at] = (byte) (length >>> 24);
            buf[at + 1] = (byte) (length >>> 16);
            buf[at + 2] = (byte) (length >>> 8);
            buf[at + 3] = (byte) length;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
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
