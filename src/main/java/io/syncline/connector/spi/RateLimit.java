package io.syncline.connector.spi;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.util.Optional;

/**
 * A system's {@code rateLimit}: requests per second it may be sent, in bursts of up to
 * {@code burst}; the settings of every type that paces its calls take it.
 *
 * @param retryAfter seconds the API keeps refusing after a 429 that does not say how long (Airtable's
 *                   30): the wait a 429 without {@code Retry-After} asks for; null where the API says it,
 *                   or where the retry policy's backoff is enough
 */
@RegisterForReflection
public record RateLimit(Double requestsPerSecond, Integer burst, Integer retryAfter) {

    public RateLimit(Double requestsPerSecond, Integer burst) {
        this(requestsPerSecond, burst, null);
    }

    /** The wait after a 429 whose answer names none ({@link #retryAfter}); empty where the system says none. */
    public Optional<Duration> penalty() {
        return retryAfter == null ? Optional.empty() : Optional.of(Duration.ofSeconds(retryAfter));
    }
}
