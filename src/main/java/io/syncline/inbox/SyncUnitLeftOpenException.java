package io.syncline.inbox;

import io.syncline.failure.PermanentFailure;

/**
 * An apply route ended with its sync unit still open (its idempotent consumer did not commit when
 * its steps were done): a mistake in a route file that replaces the apply template, which the same route makes again on every attempt. So the event becomes a dead
 * letter at once, to be replayed once the route is fixed.
 */
public class SyncUnitLeftOpenException extends IllegalStateException implements PermanentFailure {

    public SyncUnitLeftOpenException(Object inboxId) {
        super("The apply route of inbox event " + inboxId
                + " ended with its sync unit open: give its idempotentConsumer completionEager: true, so that it"
                + " commits when its steps are done");
    }
}
