package io.syncline.failure;

import java.time.Duration;
import java.time.Instant;

/**
 * A target takes nothing more until {@link #until()}: a daily API budget is spent, or the target
 * said its own allowance is. Nothing was sent. The inbox keeps the event pending until then,
 * without counting the attempt, so that a wait of hours does not make it a dead letter.
 */
public class TargetPausedException extends TargetUnavailableException {

    private final Instant until;

    public TargetPausedException(String system, Instant until, String message) {
        super(system, null, null, message, null);
        this.until = until;
    }

    /** When the target may be called again. */
    public Instant until() {
        return until;
    }

    /** The wait from {@code now} until then; zero when it is past. */
    public Duration waitFrom(Instant now) {
        Duration wait = Duration.between(now, until);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
