package io.syncline.connector.rest;

import io.syncline.connector.spi.RecordTargetStages;
import io.syncline.connector.spi.SystemType;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record stages of a REST system, whose creates and updates carry an idempotency key where the
 * system names its header ({@code idempotencyKey}). The key is a digest of what identifies the
 * write: the event's idempotency key, the target system, the operation, the target record (for an
 * update) and the request's record. Every attempt at one event's write sends the same key, so an
 * API that keeps keys (Stripe, 24 hours) answers a retry after a lost answer with the first
 * attempt's outcome instead of creating the record twice; a replay whose mapped record changed
 * (the mapping was corrected) is a new request with a new key.
 */
public class RestTargetStages extends RecordTargetStages {

    /** A type whose creates and updates can carry an idempotency key: {@code rest}, and a preset's built on it. */
    public interface KeyedWrites extends SystemType {

        /** Creates the record, sending {@code idempotencyKey} where the system names its header; returns its new id. */
        String create(String entity, String system, Map<String, Object> row, String idempotencyKey);

        /** Updates the record {@code id}, sending {@code idempotencyKey} where the system names its header. */
        void update(String entity, String system, String id, Map<String, Object> row, String idempotencyKey);
    }

    private final KeyedWrites type;

    public RestTargetStages(KeyedWrites type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) throws Exception {
        return type.create(unit.entity(), unit.target(), row, idempotencyKey(unit, "create", null, row));
    }

    @Override
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) throws Exception {
        type.update(unit.entity(), unit.target(), id, row, idempotencyKey(unit, "update", id, row));
    }

    /** The key of one write of the unit's event: the same for each attempt; null where the event has no key. */
    static String idempotencyKey(SyncUnit unit, String operation, String id, Map<String, Object> row) {
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
