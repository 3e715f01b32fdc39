package io.syncline.connector.spi;

import io.syncline.sync.SyncUnit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key of one write of a sync unit's event, for a target that deduplicates on a key the writer
 * sends (an API's {@code Idempotency-Key}, a message's id): a digest of the event's idempotency key,
 * the target system, the operation, the target record (for an update or delete) and the record
 * written. Every attempt at one event's write gives the same key; a replay whose mapped record
 * changed (the mapping was corrected) is a new write with a new key.
 */
public final class WriteKeys {

    private WriteKeys() {
    }

    /** The key of the unit's {@code operation} ({@code create}, {@code update}, {@code delete}); null where the event has no key. */
    public static String of(SyncUnit unit, String operation, String id, Map<String, Object> row) {
        if (unit.eventKey() == null) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{unit.eventKey(), unit.target(), operation, id == null ? "" : id,
                    String.valueOf(new TreeMap<>(row))}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return "syncline-" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
