package io.syncline.reconcile;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code syncline_reconciliation_overdue_seconds{job,entity}}: how long a scheduled job's due run is
 * late. A run is due at each fire time of the job's schedule; once a fire time plus
 * {@code syncline.alerts.reconciliation-grace} has passed with no run of the job started since the
 * one before it, the gauge counts the seconds from then (alert SynclineReconciliationOverdue); 0
 * while the job has run when due. A schedule that stopped firing (its trigger gone from the
 * clustered Quartz store, no replica's scheduler up to fire it) and a run that cannot start look
 * alike here.
 *
 * <p>Store-wide: each job's last start is read from its runs in the background
 * ({@link StoreReadings}), alike on every replica; NaN while the store cannot be read. A fire time
 * before this replica first watched the job's schedule is not counted: a job added or changed is
 * not overdue for fires it never had, and after a restart a missed run shows from the next fire.
 */
@Startup
@ApplicationScoped
public class ReconciliationDue {

    private final SyncModelRegistry registry;
    private final MeterRegistry meters;
    private final ReconciliationSchedules schedules;
    private final Duration grace;
    private final StoreReadings.Reading<Map<String, Instant>> lastStarts;
    /** Each job's schedule, and since when this replica watches it. */
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public ReconciliationDue(SyncModelRegistry registry, MeterRegistry meters, ReconciliationSchedules schedules, SynclineConfig config,
            AgroalDataSource store, StoreReadings readings) {
        this.registry = registry;
        this.meters = meters;
        this.schedules = schedules;
        this.grace = config.alerts().reconciliationGrace();
        RunRepository runs = new RunRepository(store);
        this.lastStarts = readings.register(() -> {
            watch();
            return runs.lastStarts();
        });
    }

    private record Watched(String cron, Instant since) {
    }

    /** Seconds the job's due run is late: 0 when none is or the job is no longer scheduled, NaN without a fresh reading. */
    double overdueSeconds(String job) {
        Map<String, Instant> starts = lastStarts.value();
        Watched schedule = watched.get(job);
        if (starts == null || lastStarts.problem() != null) {
            return Double.NaN;
        }
        if (schedule == null) {
            return 0;
        }
        Instant now = clock.instant();
        Instant last = starts.get(job);
        Instant after = last == null || last.isBefore(schedule.since()) ? schedule.since() : last;
        Instant due = nextFire(schedule.cron(), after);
        if (due == null) {
            return 0;
        }
        Duration late = Duration.between(due.plus(grace), now);
        return late.isNegative() ? 0 : late.toMillis() / 1000.0;
    }

    /** The scheduled jobs of the model in force, each with a gauge registered once. */
    private void watch() {
        if (!registry.loaded() || !schedules.enabled()) {
            watched.clear();
            return;
        }
        Map<String, String> crons = new HashMap<>();
        Map<String, String> entities = new HashMap<>();
        registry.current().model().reconciliations().forEach((job, definition) -> {
            if (definition.schedule() != null) {
                crons.put(job, definition.schedule());
                entities.put(job, definition.entity());
            }
        });
        watched.keySet().retainAll(crons.keySet());
        crons.forEach((job, cron) -> {
            Watched known = watched.get(job);
            if (known == null || !known.cron().equals(cron)) {
                watched.put(job, new Watched(cron, clock.instant()));
            }
            registered.computeIfAbsent(job, first -> {
                Gauge.builder("syncline.reconciliation.overdue", this, due -> due.overdueSeconds(job)).baseUnit("seconds")
                        .description("How long a scheduled reconciliation's due run is late, past its fire time plus"
                                + " syncline.alerts.reconciliation-grace; 0 while it ran when due")
                        .tag("job", job).tag("entity", entities.get(job)).register(meters);
                return true;
            });
        });
    }

    /** The schedule's first fire time after {@code after}, in UTC as the job's trigger fires; null for one that never fires again. */
    private static Instant nextFire(String cron, Instant after) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone("UTC"));
            Date next = expression.getNextValidTimeAfter(Date.from(after));
            return next == null ? null : next.toInstant();
        } catch (ParseException e) {
            return null; // refused at start-up already
        }
    }
}
