package io.syncline.sync;

import java.sql.SQLException;

/**
 * In a backfill's dry run, the parents the backfill would create or link in a target before the
 * record naming them (an earlier entity of the same backfill): nothing is written in a dry run, so
 * the target's ID map cannot know them yet, and a reference to one of them is resolvable all the
 * same ({@link io.syncline.exchange.ExchangeContract#PLANNED_PARENTS}).
 */
@FunctionalInterface
public interface PlannedParents {

    /** Whether the parent {@code sourceId} of {@code entity} (the source's id) would be in {@code target} by then. */
    boolean planned(String entity, String target, String sourceId) throws SQLException;
}
