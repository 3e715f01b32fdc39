package io.syncline.connector.rest;

import io.syncline.connector.spi.RecordTargetStages;
import io.syncline.connector.spi.SystemType;
import io.syncline.connector.spi.WriteKeys;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * The record stages of a REST system, whose creates and updates carry an idempotency key where the
 * system names its header ({@code idempotencyKey}), {@link WriteKeys}. Every attempt at one event's write sends the same key, so an
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
        return WriteKeys.of(unit, operation, id, row);
    }
}
