package io.syncline.sync;

/** A change that had to apply (a review's resolution) was found a duplicate, stale or an echo: nothing was written. */
public class SyncNotAppliedException extends RuntimeException {

    public SyncNotAppliedException(String message) {
        super(message);
    }
}
