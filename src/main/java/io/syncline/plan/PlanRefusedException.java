package io.syncline.plan;

import io.syncline.failure.RequestRefusal;

/** A plan that cannot be made as asked: the status and error code the admin API answers, and why. */
public class PlanRefusedException extends RequestRefusal {

    public PlanRefusedException(int status, String error, String message) {
        super(status, error, null, message);
    }
}
