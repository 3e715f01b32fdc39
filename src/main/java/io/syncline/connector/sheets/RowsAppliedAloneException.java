package io.syncline.connector.sheets;

/**
 * A batch bound for a sheet holds creates or deletes, each its own calls that a rolled-back batch
 * could not take back: before any call, the batch is rolled back and each event applied alone.
 */
public class RowsAppliedAloneException extends RuntimeException {

    public RowsAppliedAloneException(int alone) {
        super("Of the batch's records, " + alone + " are creates or deletes of rows: each event is applied on its own");
    }
}
