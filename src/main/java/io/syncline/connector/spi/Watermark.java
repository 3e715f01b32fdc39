package io.syncline.connector.spi;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * How far a reader of changes has come: the modification time of the last record it read and,
 * for records changed at the same instant, that record's key (the tie-breaker). The next read
 * starts after it: later times, or the same time and a greater key.
 */
@RegisterForReflection
public record Watermark(Instant at, Object key) {
}
