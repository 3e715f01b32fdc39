package io.syncline.sync;

import io.syncline.failure.PermanentFailure;

/**
 * A mapping's own route returned to the engine (template apply-route) without writing the
 * admitted record: it never called the target write stage. The same route does the same on every
 * attempt, so the event becomes a dead letter at once, to be replayed once the route is fixed.
 */
public class NothingWrittenException extends IllegalStateException implements PermanentFailure {

    public NothingWrittenException(String entity, String sourceId, String target) {
        super("The route applying " + entity + " " + sourceId + " to " + target + " returned without writing it: end the"
                + " mapping's route with the target write stage (bean: {ref: TargetWriter, method: write})");
    }
}
