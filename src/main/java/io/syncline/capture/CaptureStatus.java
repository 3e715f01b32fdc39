package io.syncline.capture;

import java.time.Instant;

/**
 * A capture's state for readiness.
 *
 * @param captured    the changes it put into the inbox since this replica started it
 * @param lastChange  when it last put a change into the inbox
 * @param lastError   why it last failed; null while it runs
 * @param retryAt     when a failed capture starts again
 */
record CaptureStatus(String name, ChangeCapture.State state, long captured, Instant lastChange, String lastError, Instant retryAt) {

    String describe() {
        return switch (state) {
            case STANDBY -> "standby: another replica captures";
            case STARTING -> "starting";
            case CAPTURING -> "capturing: " + captured + " changes" + (lastChange == null ? "" : ", the last at " + lastChange);
            case FAILED -> "failed: " + lastError + (retryAt == null ? "" : "; trying again at " + retryAt);
            case STOPPED -> "stopped";
        };
    }
}
