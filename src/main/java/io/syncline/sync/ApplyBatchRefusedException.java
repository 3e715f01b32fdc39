package io.syncline.sync;

/**
 * An apply route wrote, or was about to write, outside the state store's transaction (another
 * database, an HTTP API) while its event was applied in an {@link ApplyBatch}: a rollback of the
 * batch could not undo that write, and applying the events again would repeat it. Thrown before
 * the write; the batch is rolled back, its events are applied one at a time, and the route is
 * no longer batched.
 */
public class ApplyBatchRefusedException extends RuntimeException {

    public ApplyBatchRefusedException(String write) {
        super(write + " is outside the state store's transaction, which a rolled-back batch cannot undo:"
                + " this route's events are applied one at a time (remove it from syncline.inbox.apply-batch.routes)");
    }
}
