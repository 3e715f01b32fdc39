package io.syncline.backfill;

import io.syncline.failure.RequestRefusal;

/**
 * A backfill request that cannot be carried out as asked: the admin API answers 409 with
 * {@link #code()}, what is wrong: {@code confirmation_required}, {@code changed_since_dry_run}, ...
 */
public class BackfillRefusedException extends RequestRefusal {

    public BackfillRefusedException(String code, String message) {
        super(409, code, null, message);
    }
}
