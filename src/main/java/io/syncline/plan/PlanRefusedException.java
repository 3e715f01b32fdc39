package io.syncline.plan;

/** A plan that cannot be made as asked: the status and error code the admin API answers, and why. */
public class PlanRefusedException extends RuntimeException {

    private final int status;
    private final String error;

    public PlanRefusedException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
