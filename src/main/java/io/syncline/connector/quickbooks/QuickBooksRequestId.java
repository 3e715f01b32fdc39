package io.syncline.connector.quickbooks;

import io.syncline.sync.SyncUnit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The inbox event a QuickBooks write belongs to, and the {@code requestid} each of its writes
 * carries. QuickBooks answers a request whose {@code requestid} it has seen (in the same company)
 * with the answer of the first, without applying it again; a {@code requestid} is at most
 * {@value #MAX} characters, a batch request's at most {@value #BATCH_MAX}.
 *
 * <p>A requestid is a digest of the inbox event's id, the target system, the entity, the record's
 * canonical id and the write (a create; an update of a QuickBooks {@code Id} with the
 * {@code SyncToken} it is sent with): every attempt at one event's create sends the same one, so
 * a create whose answer was lost (a dropped connection, a 5xx, a kill before the link was
 * committed) is answered with the record the first made; a later event of the same record, and a
 * dead letter's replay (a new inbox event), are new requests. An update's requestid changes with
 * the token, so that one sent again after a Stale Object Error is a new request, not the stale one
 * answered again.
 *
 * @param inboxId the inbox event's id
 * @param system  the target system
 * @param entity  the model's entity
 * @param record  the record's canonical id
 */
record QuickBooksRequestId(long inboxId, String system, String entity, String record) {

    /** Most characters of a requestid. */
    static final int MAX = 50;
    /** Most characters of a batch request's requestid (each {@code bId} then at most 10). */
    static final int BATCH_MAX = 36;

    /** The event the unit applies; null outside an inbox event (nothing stable to derive a requestid from). */
    static QuickBooksRequestId of(SyncUnit unit) {
        return unit.inboxId() == null ? null
                : new QuickBooksRequestId(unit.inboxId(), unit.target(), unit.entity(), unit.record().canonicalId());
    }

    /** The requestid of the record's create. */
    String create() {
        return digest(MAX, Long.toString(inboxId), system, entity, String.valueOf(record), "create");
    }

    /** The requestid of {@code operation} (an {@code update}) of QuickBooks' record {@code id} with {@code syncToken}. */
    String write(String operation, String id, String syncToken) {
        return digest(MAX, Long.toString(inboxId), system, entity, String.valueOf(record), operation, id, syncToken);
    }

    /** The requestid of a batch request made of the writes whose requestids are {@code items}, in order. */
    static String batch(List<String> items) {
        return digest(BATCH_MAX - 4, items.toArray(String[]::new));
    }

    /** Hex of SHA-256 over the parts (each ended by a NUL), its first {@code length} characters. */
    private static String digest(int length, String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
