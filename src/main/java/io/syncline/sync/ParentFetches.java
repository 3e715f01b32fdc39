package io.syncline.sync;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Where the reference stage asks for a missing parent ({@code missingParent: sync}): the parent
 * is fetched from the record's source and applied as its own event of the parent's entity, once
 * however many records ask for it. The wiring implements it (so that this package needs nothing of
 * the routes the model makes).
 */
public interface ParentFetches {

    /**
     * Asks for record {@code id} of {@code entity} in {@code system}: the first call puts its event
     * into the inbox, later calls answer how it went.
     *
     * @return empty while the parent is on its way or was applied; why not, when it cannot be (the
     *         source does not have it)
     */
    Optional<String> request(String entity, String system, String id) throws SQLException;
}
