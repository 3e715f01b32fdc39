package io.syncline.sync;

import io.syncline.store.Writes;

import java.sql.SQLException;

/**
 * What the apply stages need of the place an event waited in: marking it done in the transaction
 * that commits its effects. The inbox implements it; sync owns it, so that the inbox drives sync and
 * sync never names the inbox.
 */
public interface EventCompletion {

    /** The event was applied: done in the transaction of {@code writes}, so that it is done exactly when its effects commit. */
    void complete(Writes writes, long id) throws SQLException;
}
