package io.syncline.store;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.syncline.config.SynclineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

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
 * whether it answers ({@code SELECT 1} on a pooled connection, waiting at most
 * {@code syncline.store.probe-timeout} for the answer), and keeps the last answer. Readiness
 * reads it at once instead of asking the store on the health request's thread
 * ({@link StateStoreHealthCheck}); metrics that query the store skip their query while it is
 * away.
 *
 * <p>The store counts as unreachable once a probe failed, or when no probe has had an answer for
 * the interval and the timeout together (a probe still waiting, on a partition that holds its
 * bytes). It logs one WARN when the store becomes unreachable and one INFO when it answers again,
 * counts the outages ({@code syncline_store_unreachable_total}) and shows the state as
 * {@code syncline_store_reachable} (1 or 0): the failures of the statements in between are
 * answered (503), retried or handed back without a log line of their own.
 */
@ApplicationScoped
public class StateStoreProbe {

    private static final Logger LOG = Logger.getLogger(StateStoreProbe.class);

    private final AgroalDataSource store;
    private final Duration interval;
    private final Duration timeout;
    private final Counter outages;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread probe = new Thread(runnable, "state-store-probe");
        probe.setDaemon(true);
        return probe;
    });

    private volatile Instant lastAnswer;
    private volatile boolean failing;
    private volatile String lastError;
    private volatile Instant unreachableSince;

    @Inject
    public StateStoreProbe(AgroalDataSource store, SynclineConfig config, MeterRegistry meters) {
        this(store, config.store().probeInterval(), config.store().probeTimeout(), meters, Clock.systemUTC());
    }

    StateStoreProbe(AgroalDataSource store, Duration interval, Duration timeout, MeterRegistry meters, Clock clock) {
        this.store = store;
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
        this.lastAnswer = clock.instant();
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

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    /** Whether the store answered its last probe, and recently enough. */
    public boolean reachable() {
        return !failing && Duration.between(lastAnswer, clock.instant()).compareTo(interval.plus(timeout)) <= 0;
    }

    /** Since when the store has not answered: the time of the last answer while it is unreachable, else null. */
    public Instant unreachableSince() {
        return reachable() ? null : unreachableSince != null ? unreachableSince : lastAnswer;
    }

    /** Why the last probe failed, or null. */
    public String lastError() {
        return failing ? lastError : null;
    }

    public Instant lastAnswer() {
        return lastAnswer;
    }

    /** One probe: runs on the probe's thread, and by tests. */
    void probe() {
        try (Connection connection = store.getConnection()) {
            if (connection.isWrapperFor(PGConnection.class)) {
                connection.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            answered();
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void answered() {
        Instant now = clock.instant();
        Instant since = unreachableSince;
        lastAnswer = now;
        failing = false;
        lastError = null;
        if (since != null) {
            unreachableSince = null;
            LOG.infof("The state store answers again, after %d s unreachable", Duration.between(since, now).toSeconds());
        }
    }

    private void failed(Exception e) {
        lastError = e.getMessage();
        failing = true;
        if (unreachableSince == null) {
            unreachableSince = lastAnswer;
            outages.increment();
            // One line, no stack trace: the service recovers by itself once the store answers.
            LOG.warnf("The state store is unreachable: %s. Webhooks are answered 503 and readiness is DOWN until it"
                    + " answers again", e.getMessage());
        }
    }
}
