package io.syncline.backfill;

/** No such backfill in the model, or no such job: the admin API answers 404. */
public class UnknownBackfillException extends RuntimeException {

    public UnknownBackfillException(String message) {
        super(message);
    }
}
