package io.syncline.connector.spi;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A system's {@code rateLimit}: requests per second it may be sent, in bursts of up to
 * {@code burst}; the settings of every type that paces its calls take it.
 */
@RegisterForReflection
public record RateLimit(Double requestsPerSecond, Integer burst) {
}
