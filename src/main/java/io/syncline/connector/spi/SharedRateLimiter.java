package io.syncline.connector.spi;

import io.syncline.failure.TargetUnavailableException;
import io.syncline.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * The store of table {@code rate_limit}, and the one pace of requests to each system for all
 * replicas together: writes, fetches and pulls of every replica take their turn here. It is a
 * generic cell rate algorithm (a token bucket kept as one time per system): each request moves the
 * system's {@code earliest_at} on by {@code 1 / requestsPerSecond} with one atomic {@code UPDATE},
 * allowed while {@code earliest_at} is at most now plus {@code burst - 1} intervals. So
 * {@code requestsPerSecond} holds however many replicas run, without knowing how many there are,
 * and {@code burst} (default 1: evenly spaced) is how many may go at once after a quiet spell.
 *
 * <p>A turn costs one statement on the state store. A caller that found no turn reads when the
 * next one is and sleeps until then; one that gets none within {@link #LONGEST_WAIT} (or cannot
 * reach the store) fails as {@link TargetUnavailableException}, so that the write is retried later.
 */
public final class SharedRateLimiter {

    static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    private final DataSource store;
    private final Clock clock;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public SharedRateLimiter(DataSource store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Returns once {@code request} may be sent to {@code system}; at once when it has no rate limit.
     *
     * @throws TargetUnavailableException no turn came within {@link #LONGEST_WAIT}, the store could not
     *                                    be reached, or the thread was interrupted
     */
    public void acquire(String system, RateLimit limit, String request) {
        if (limit == null || limit.requestsPerSecond() == null || !(limit.requestsPerSecond() > 0)) {
            return;
        }
        long interval = Math.max(1, Math.round(1_000_000 / limit.requestsPerSecond()));
        long tolerance = (limit.burst() == null ? 0 : Math.max(0, limit.burst() - 1)) * interval;
        long deadline = micros(clock.instant()) + TimeUnit.MILLISECONDS.toMicros(LONGEST_WAIT.toMillis());
        try {
            ensureRow(system);
            while (true) {
                long now = micros(clock.instant());
                Long next = take(system, now, interval, tolerance);
                if (next == null) {
                    return;
                }
                long wait = Math.max(next - tolerance - now, 50);
                if (now + wait > deadline) {
                    throw new TargetUnavailableException(system, null, Duration.ofSeconds(1), request + " to " + system
                            + " got no turn within " + LONGEST_WAIT.toSeconds() + " s of its shared rate limit ("
                            + limit.requestsPerSecond() + " requests/s)", null);
                }
                // a little jitter (at most a millisecond), so that the callers that waited for the same turn do not
                // all ask at the same instant; more would leave turns unused
                TimeUnit.MICROSECONDS.sleep(wait + ThreadLocalRandom.current().nextLong(Math.min(1000, Math.max(1, interval / 10))));
            }
        } catch (SQLException e) {
            throw new TargetUnavailableException(system, null, null, request + " to " + system
                    + " was not sent: its shared rate limit could not be read from the state store: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailableException(system, null, null, request + " was interrupted while rate-limited", e);
        }
    }

    /** Takes a turn at {@code now}: null when taken, else when the next turn is (epoch microseconds). */
    private Long take(String system, long now, long interval, long tolerance) throws SQLException {
        try (Connection connection = store.getConnection()) {
            if (Sql.update(connection, "UPDATE rate_limit"
                    + " SET earliest_at = GREATEST(earliest_at, ?) + ? WHERE system_name = ? AND earliest_at <= ?", update -> {
                        update.setLong(1, now);
                        update.setLong(2, interval);
                        update.setString(3, system);
                        update.setLong(4, now + tolerance);
                    }) == 1) {
                return null;
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT earliest_at FROM rate_limit WHERE system_name = ?")) {
                select.setString(1, system);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getLong(1) : now;
                }
            }
        }
    }

    private void ensureRow(String system) throws SQLException {
        if (known.contains(system)) {
            return;
        }
        try (Connection connection = store.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO rate_limit (system_name, earliest_at)"
                        + " SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM rate_limit WHERE system_name = ?)")) {
            insert.setString(1, system);
            insert.setString(2, system);
            insert.executeUpdate();
        } catch (SQLException e) {
            // another replica made it at the same moment
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
        known.add(system);
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
