package io.syncline.review;

import java.util.Locale;

/**
 * A resolution was not written: the record changed since it was held ({@code record_changed}:
 * a newer change, a new conflict) or the write failed ({@code write_failed}). Nothing of it was
 * applied, and the item stays open with this error.
 */
public class ReviewResolutionFailedException extends RuntimeException {

    public enum Reason {

        RECORD_CHANGED, WRITE_FAILED, NOT_RESOLVABLE;

        /** As the admin API names it ({@code record_changed}, …). */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public ReviewResolutionFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
