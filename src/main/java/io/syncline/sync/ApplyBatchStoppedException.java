package io.syncline.sync;

/**
 * The application is stopping while a batch goes through its apply route: the batch stops between
 * two events, is rolled back, and its events go back to the inbox unapplied for the next claim
 * (each, applied alone, finds the application stopping), so that a stop waits for one event's
 * stage, not a whole batch's.
 */
public class ApplyBatchStoppedException extends RuntimeException {

    public ApplyBatchStoppedException() {
        super("The application is stopping: the batch is rolled back and its events handed back to the inbox");
    }
}
