package io.syncline.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.syncline.config.SynclineConfig;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Syncline's own metrics, next to Camel's route metrics on {@code /q/metrics}:
 * <ul>
 * <li>{@code syncline_events_total{route, outcome}}: events per webhook route by outcome:
 *     received, applied, duplicate, stale, echo, held, failed, refused (an erased person's);</li>
 * <li>{@code syncline_dead_letters}: dead letters waiting for a person (status new);</li>
 * <li>{@code syncline_sync_lag_seconds{route}}: histogram of apply time minus the change's own
 *     modification time, the end-to-end lag, in buckets up to two hours and one at
 *     {@code syncline.alerts.lag-threshold};</li>
 * <li>{@code syncline_schema_drift{entity, system, field}}: {@link SchemaDrift}.</li>
 * </ul>
 * The inbox and the review queue register their own gauges ({@code io.syncline.inbox.InboxGauges},
 * {@code io.syncline.review.ReviewGauges}), so that this package knows neither.
 */
@ApplicationScoped
public class SyncMetrics implements MeterBinder {

    /** The largest finite bucket of the lag histogram; longer lags count in {@code +Inf}. */
    static final Duration MAX_LAG_BUCKET = Duration.ofHours(2);

    public enum Outcome {
        RECEIVED, APPLIED, DUPLICATE, STALE, ECHO, HELD, FAILED, REFUSED
    }

    private final AgroalDataSource dataSource;
    private final StoreReadings.Reading<Long> deadLetters;
    private final Duration lagThreshold;
    private volatile MeterRegistry registry;
    /**
     * The meters of the registry bound last, by route and outcome: registering looks the meter up
     * by name and tags, building both, and every applied event counts and times once.
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> lags = new ConcurrentHashMap<>();

    public SyncMetrics(AgroalDataSource dataSource, StoreReadings readings, SynclineConfig config) {
        this.dataSource = dataSource;
        this.lagThreshold = config.alerts().lagThreshold();
        // counted in the background: a scrape answers at once, also while the store is away
        this.deadLetters = readings.register(() -> count("SELECT count(*) FROM dead_letter WHERE status = 'new'"));
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        counters.clear();
        lags.clear();
        this.registry = meters;
        StoreReadings.bind(meters, "syncline.dead.letters", "Dead letters waiting for replay or discard", deadLetters);
    }

    public void event(String route, Outcome outcome) {
        MeterRegistry meters = registry;
        if (meters != null) {
            String tag = route == null ? "unknown" : route;
            counters.computeIfAbsent(tag + ' ' + outcome, key -> Counter.builder("syncline.events")
                    .description("Webhook events by outcome")
                    .tag("route", tag)
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(meters)).increment();
        }
    }

    /** A rule of the model that fired on a change: held, rejected or alerted, by entity, rule, action and target. */
    public void ruleFired(String entity, String rule, String action, String target) {
        MeterRegistry meters = registry;
        if (meters != null) {
            counters.computeIfAbsent("rule " + entity + ' ' + rule + ' ' + action + ' ' + target,
                    key -> Counter.builder("syncline.rule.firings")
                            .description("Changes a rule of the model held, rejected or alerted")
                            .tag("entity", entity)
                            .tag("rule", rule)
                            .tag("action", action)
                            .tag("target", target)
                            .register(meters))
                    .increment();
        }
    }

    /** An applied change: counted, and its lag recorded when it carries its modification time. */
    public void applied(String route, Instant modifiedAt) {
        event(route, Outcome.APPLIED);
        MeterRegistry meters = registry;
        if (meters != null && modifiedAt != null) {
            // A source clock ahead of ours would make a negative lag: it counts as none.
            Duration lag = Duration.between(modifiedAt, Instant.now());
            String tag = route == null ? "unknown" : route;
            lags.computeIfAbsent(tag, key -> Timer.builder("syncline.sync.lag")
                    .description("Apply time minus the change's own modification time")
                    .tag("route", tag)
                    .publishPercentileHistogram()
                    // a timer's buckets end at 30 s by default: lags of minutes need buckets of minutes,
                    // and one exactly at the alerts' threshold makes "above it" exact
                    .maximumExpectedValue(MAX_LAG_BUCKET)
                    .serviceLevelObjectives(lagThreshold)
                    .register(meters)).record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
