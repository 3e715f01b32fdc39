package io.syncline.sync;

/**
 * An earlier event of the {@link ApplyBatch} failed and the batch was rolled back: this event is
 * not applied in it, but on its own once the batch ends, as every event of the batch is.
 */
public class ApplyBatchAbortedException extends RuntimeException {

    public ApplyBatchAbortedException(Exception cause) {
        super("An earlier event of this batch failed (" + (cause == null ? "unknown" : cause.getMessage())
                + "); every event of the batch is applied again on its own", cause);
    }
}
