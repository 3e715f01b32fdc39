package io.syncline.backfill;

/** A backfill request that cannot be carried out as asked: the admin API answers 409 with {@link #code()}. */
public class BackfillRefusedException extends RuntimeException {

    private final String code;

    public BackfillRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** What is wrong, for the error body: {@code confirmation_required}, {@code changed_since_dry_run}, ... */
    public String code() {
        return code;
    }
}
