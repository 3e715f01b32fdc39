package io.syncline.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Queries of the state store that readiness details and metric gauges show, run every 5 s on a
 * thread of their own; a health or metrics request takes the last result at once instead of
 * waiting on the store, which may be partitioned away. While the store's probe says it is
 * unreachable ({@link StateStoreProbe}) nothing is asked, and each reading keeps its last value
 * with the reason it is not fresh.
 */
@ApplicationScoped
public class StoreReadings {

    static final long EVERY_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(StoreReadings.class);

    /** A query of the store. */
    @FunctionalInterface
    public interface Query<T> {

        T read() throws SQLException;
    }

    /** The last result of a query, and why it is not fresh (null while it is). */
    public static final class Reading<T> {

        private final Query<T> query;
        private volatile T value;
        private volatile String problem = "not read yet";

        Reading(Query<T> query) {
            this.query = query;
        }

        /** The last result, or null before the first. */
        public T value() {
            return value;
        }

        /** Why the value is missing or old, or null. */
        public String problem() {
            return problem;
        }

        void refresh() {
            try {
                value = query.read();
                problem = null;
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("A background reading of the state store failed: %s", e.getMessage());
                problem = "not readable: " + e.getMessage();
            }
        }
    }

    /**
     * A count as a gauge shows it: the last one, or none (NaN) while it is not fresh, so that a
     * stale figure is never taken for today's.
     */
    public static double gauge(Reading<Long> reading) {
        Long value = reading.value();
        return value == null || reading.problem() != null ? Double.NaN : value;
    }

    /** Shows a count read in the background as the gauge {@code name} ({@link #gauge(Reading)}). */
    public static void bind(MeterRegistry meters, String name, String description, Reading<Long> reading) {
        Gauge.builder(name, reading, StoreReadings::gauge).description(description).register(meters);
    }

    @Inject
    StateStoreProbe probe;
    private final List<Reading<?>> readings = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread reader = new Thread(runnable, "state-store-readings");
        reader.setDaemon(true);
        return reader;
    });

    /** A query to run in the background from now on; read its result from the answer. */
    public <T> Reading<T> register(Query<T> query) {
        Reading<T> reading = new Reading<>(query);
        readings.add(reading);
        return reading;
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::refresh, 0, EVERY_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    void refresh() {
        boolean reachable = probe.reachable();
        for (Reading<?> reading : readings) {
            if (reachable) {
                reading.refresh();
            } else {
                reading.problem = "not read: the state store is unreachable";
            }
        }
    }
}
