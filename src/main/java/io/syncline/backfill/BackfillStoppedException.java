package io.syncline.backfill;

/** The job is no longer its runner's to go on with: paused, cancelled, or taken over by another replica. */
class BackfillStoppedException extends RuntimeException {

    BackfillStoppedException(long job) {
        super("backfill job " + job + " was paused, cancelled or taken over", null, false, false);
    }
}
