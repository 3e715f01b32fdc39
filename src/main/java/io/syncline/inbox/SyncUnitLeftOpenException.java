package io.syncline.inbox;

import io.syncline.failure.PermanentFailure;

/**
 * An apply route ended with its sync unit still open (no {@code syncGuard.commit}): a mistake in
 * the route, which the same route makes again on every attempt. So the event becomes a dead
 * letter at once, to be replayed once the route is fixed.
 */
public class SyncUnitLeftOpenException extends IllegalStateException implements PermanentFailure {

    public SyncUnitLeftOpenException(Object inboxId) {
        super("The apply route of inbox event " + inboxId
                + " ended with its sync unit open: end the route's apply branch with syncGuard.commit(${exchange})");
    }
}
