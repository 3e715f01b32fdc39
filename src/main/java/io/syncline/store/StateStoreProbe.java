package io.syncline.store;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.syncline.config.SynclineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the state store every {@code syncline.store.probe-interval}, on a thread of its own,
 * whether it answers ({@code SELECT 1}, waiting at most
 * {@code syncline.store.probe-timeout} for the answer), and keeps the last answer. Readiness
 * reads it at once instead of asking the store on the health request's thread
 * ({@link StateStoreHealthCheck}); metrics that query the store skip their query while it is
 * away.
 *
 * <p>On PostgreSQL the probe has a connection of its own beside the pool ({@link ProbeConnection}): a
 * probe that borrowed from the pool would wait, once the store returns, behind every login the
 * pool queued while it was away. The embedded store is asked through the pool.
 *
 * <p>The store counts as unreachable once a probe failed, or when no probe has had an answer for
 * the interval and the timeout together ({@link Reachability}, which logs the outage's start and
 * end). It counts the outages ({@code syncline_store_unreachable_total}) and shows the state as
 * {@code syncline_store_reachable} (1 or 0).
 */
@ApplicationScoped
public class StateStoreProbe {

    private static final Logger LOG = Logger.getLogger(StateStoreProbe.class);

    private final AgroalDataSource store;
    private final Duration interval;
    private final Counter outages;
    private final Reachability answers;
    private final ProbeConnection ownConnection;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread probe = new Thread(runnable, "state-store-probe");
        probe.setDaemon(true);
        return probe;
    });

    @Inject
    public StateStoreProbe(AgroalDataSource store, SynclineConfig config, MeterRegistry meters) {
        this(store, config.store().probeInterval(), config.store().probeTimeout(), meters, Clock.systemUTC());
    }

    StateStoreProbe(AgroalDataSource store, Duration interval, Duration timeout, MeterRegistry meters, Clock clock) {
        this.store = store;
        this.interval = interval;
        this.ownConnection = ProbeConnection.beside(store, timeout);
        this.answers = new Reachability(interval.plus(timeout), clock, LOG,
                "The state store is unreachable: %s. Webhooks are answered 503 and readiness is DOWN until it answers again",
                "The state store answers again, after %d s unreachable");
        this.outages = Counter.builder("syncline.store.unreachable")
                .description("Times the state store became unreachable (readiness DOWN until it answers again)")
                .register(meters);
        Gauge.builder("syncline.store.reachable", this, probe -> probe.reachable() ? 1 : 0)
                .description("1 while the state store answers the background probe, 0 while it does not")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops probing as soon as the application stops, before the pool it asks is closed: a probe
     * on a closed pool is no outage (nothing listens for webhooks by then either), and saying so
     * would send whoever reads the log after the store.
     */
    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
        if (ownConnection != null) {
            ownConnection.close();
        }
    }

    /** Whether the store answered its last probe, and recently enough. */
    public boolean reachable() {
        return answers.reachable();
    }

    /** Since when the store has not answered: the time of the last answer while it is unreachable, else null. */
    public Instant unreachableSince() {
        return answers.unreachableSince();
    }

    /** Why the last probe failed, or null. */
    public String lastError() {
        return answers.lastError();
    }

    public Instant lastAnswer() {
        return answers.lastAnswer();
    }

    /** The readiness check's answer ({@link StateStoreHealthCheck}). */
    HealthCheckResponseBuilder response(String name) {
        return answers.response(name);
    }

    /** One probe: runs on the probe's thread, and by tests. */
    void probe() {
        try {
            if (ownConnection != null) {
                ownConnection.selectOne();
            } else {
                selectOneOnThePool();
            }
            answers.answered();
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void selectOneOnThePool() throws SQLException {
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    private void failed(Exception e) {
        if (thread.isShutdown()) {
            return;
        }
        if (answers.failed(e.getMessage())) {
            outages.increment();
        }
    }
}
