package io.syncline.failure;

import java.time.Duration;
import java.util.Optional;

/**
 * A target could not take the write now, but may later: connection refused, a timeout, a 5xx
 * answer or 429 Too Many Requests. The inbox retries the event with backoff, and no earlier
 * than {@link #retryAfter()} when the target said how long to wait.
 */
public class TargetUnavailableException extends RuntimeException {

    private final String system;
    private final Integer status;
    private final Duration retryAfter;

    public TargetUnavailableException(String system, Integer status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.system = system;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public String system() {
        return system;
    }

    /** The HTTP status, or empty when no answer came (connection refused, timeout). */
    public Optional<Integer> status() {
        return Optional.ofNullable(status);
    }

    /** How long the target asked to be left alone ({@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
