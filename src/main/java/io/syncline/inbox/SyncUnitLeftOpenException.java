package io.syncline.inbox;

/**
 * An apply route ended with its sync unit still open (no {@code syncGuard.commit}): a mistake in
 * the route, which the same route makes again on every attempt. So the event becomes a dead
 * letter at once, to be replayed once the route is fixed.
 */
public class SyncUnitLeftOpenException extends IllegalStateException {

    public SyncUnitLeftOpenException(Object inboxId) {
        super("The apply route of inbox event " + inboxId
                + " ended with its sync unit open: end the route's apply branch with syncGuard.commit(${exchange})");
    }
}
