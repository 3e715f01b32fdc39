package io.syncline.capture;

import java.time.Instant;

/**
 * A capture's state for readiness.
 *
 * @param captured    the changes it put into the inbox since this replica started it
 * @param lastChange  when it last put a change into the inbox
 * @param lastError   why it last failed or waits; null while it runs
 * @param retryAt     when a failed or waiting capture starts again
 * @param position    where a change stream's capture has stored its stream up to (a replay id); null for a database's
 */
record CaptureStatus(String name, SupervisedCapture.State state, long captured, Instant lastChange, String lastError, Instant retryAt,
        String position) {

    CaptureStatus(String name, SupervisedCapture.State state, long captured, Instant lastChange, String lastError, Instant retryAt) {
        this(name, state, captured, lastChange, lastError, retryAt, null);
    }

    String describe() {
        String stored = position == null ? "" : "; stored up to position " + position;
        return switch (state) {
            case STANDBY -> "standby: another replica captures";
            case STARTING -> "starting" + stored;
            case CAPTURING -> "capturing: " + captured + " changes" + (lastChange == null ? "" : ", the last at " + lastChange) + stored;
            case WAITING -> "waiting for its system: " + lastError + (retryAt == null ? "" : "; trying again at " + retryAt) + stored;
            case FAILED -> "failed: " + lastError + (retryAt == null ? "" : "; trying again at " + retryAt);
            case STOPPED -> "stopped";
        };
    }
}
