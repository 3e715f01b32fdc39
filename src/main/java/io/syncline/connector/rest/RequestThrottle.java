package io.syncline.connector.rest;

import io.syncline.connector.spi.RateLimit;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.failure.TargetPausedException;
import io.syncline.failure.TargetUnavailableException;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The pace of requests to one system: a token bucket of {@code rateLimit.requestsPerSecond}
 * holding up to {@code burst} requests (default: the rate rounded down, at least 1), and a
 * pause while the system has asked to be left alone (429 or 503 with {@code Retry-After}).
 *
 * <p>The bucket hands out reservations: a caller that finds it empty is told how long to wait
 * for its turn and the tokens go negative, so concurrent callers queue in order instead of
 * racing. A pause is not waited out: writes during it fail at once as
 * {@link TargetPausedException} naming its end, and the inbox keeps them pending until then.
 */
final class RequestThrottle {

    private final String system;
    private final RateLimit rateLimit;
    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoTime;
    private final Clock clock;

    private double tokens;
    private long refilledAt;
    private volatile Instant pausedUntil = Instant.MIN;

    RequestThrottle(String system, RateLimit rateLimit, LongSupplier nanoTime, Clock clock) {
        this.system = system;
        this.rateLimit = rateLimit;
        this.nanoTime = nanoTime;
        this.clock = clock;
        Double rate = rateLimit == null ? null : rateLimit.requestsPerSecond();
        this.perNano = rate == null ? 0 : rate / 1e9;
        this.capacity = rate == null ? 0 : rateLimit.burst() != null ? rateLimit.burst() : Math.max(1, Math.floor(rate));
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    RateLimit rateLimit() {
        return rateLimit;
    }

    /**
     * Returns once the request may be sent: after waiting for the bucket when it is empty.
     *
     * @throws TargetUnavailableException the system asked for a pause that has not ended
     */
    void acquire(String request) {
        checkPause(request);
        long deadline = nanoTime.getAsLong() + reserve();
        for (long left = deadline - nanoTime.getAsLong(); left > 0; left = deadline - nanoTime.getAsLong()) {
            LockSupport.parkNanos(this, left);
            if (Thread.currentThread().isInterrupted()) {
                throw new TargetUnavailableException(system, null, null, request + " was interrupted while throttled", null);
            }
        }
    }

    /**
     * Returns when the system has not asked for a pause (or it has ended), for requests whose pace a
     * {@link SharedRateLimiter} keeps.
     *
     * @throws TargetPausedException the system asked for a pause that has not ended
     */
    void checkPause(String request) {
        Instant now = clock.instant();
        Instant until = pausedUntil;
        if (now.isBefore(until)) {
            // Nothing was sent: waiting out the target's own pause is no attempt, so a pause longer
            // than the inbox's retries cannot make the event a dead letter.
            throw new TargetPausedException(system, until, system
                    + " asked to wait until " + until + " (Retry-After); " + request + " was not sent");
        }
    }

    /** Takes a token; nanoseconds until it is really available (0 when it is). */
    synchronized long reserve() {
        if (perNano == 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    /** No request before {@code until}; a later pause never shortens an earlier one. */
    void pauseUntil(Instant until) {
        synchronized (this) {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
        }
    }
}
