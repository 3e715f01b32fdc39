package io.syncline.sync;

import io.syncline.store.Writes;

import java.sql.SQLException;

/**
 * Where an apply unit puts an event it makes for its record (the master's quantity pushed on,
 * {@link QuantityPushes}): the inbox, written with the unit's other writes so that the event is
 * stored only if the unit commits.
 */
public interface PushedEvents {

    /** Stores the event with the unit's writes; an event id stored already from the system is not stored twice. */
    void store(Writes writes, String routeId, String applyEndpoint, String entity, String system, String recordKey,
            String eventId, String payload, String origin) throws SQLException;

    /** Wakes whoever applies the events, once the unit that stored them has committed. */
    void stored();
}
