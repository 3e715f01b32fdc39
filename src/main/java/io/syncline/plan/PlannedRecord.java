package io.syncline.plan;

import java.util.Map;

/**
 * A record a plan evaluates: the source's record in the shape its webhook would carry it.
 *
 * @param key     the record's key in its source, named in the plan's lines
 * @param values  the record as the source's mapping reads it
 * @param origin  what the apply route takes it for ({@link io.syncline.exchange.ExchangeContract#ORIGIN}): a pull of the
 *                source is a backfill's record; a captured event keeps its own
 * @param eventId the idempotency key it goes down the route under, to which the plan adds the target
 * @param inboxId the inbox event that carried it, for a shadow replay; null for a record pulled from its source
 */
public record PlannedRecord(String key, Map<String, Object> values, String origin, String eventId, Long inboxId) {

    /** A record read from its source, which no inbox event carried. */
    public PlannedRecord(String key, Map<String, Object> values, String origin, String eventId) {
        this(key, values, origin, eventId, null);
    }
}
