package io.syncline.reconcile;

import io.syncline.config.SynclineConfig;
import io.syncline.store.StateStoreDriver;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.GroupMatcher;

import java.util.Optional;
import java.util.Set;

/**
 * Which reconciliation jobs get a {@code reconcile-<job>-schedule} route, and the Quartz store
 * kept to those. Camel's Quartz endpoint adds a trigger when its route starts, replaces it when
 * the cron changed, and in a cluster leaves it when the route stops (another replica may be
 * firing it); so a job that left the model is removed here, once the model's routes are made, and
 * so is a system's scheduled task ({@code system-schedule}) that no system runs any more.
 */
@ApplicationScoped
public class ReconciliationSchedules {

    /** The Quartz group of the jobs' triggers (the quartz: endpoint's group). */
    public static final String GROUP = "syncline-reconcile";
    /** The group in which triggers were kept before each schedule was a route: removed whole. */
    private static final String FORMER_GROUP = "syncline-reconciliation";
    private static final Logger LOG = Logger.getLogger(ReconciliationSchedules.class);

    /** The group of the systems' own scheduled tasks (the {@code system-schedule} route template). */
    public static final String SYSTEM_GROUP = "syncline-system";

    /** The weekly summary's group ({@link WeeklySummaryRoute}). */
    static final String SUMMARY_GROUP = "syncline-notify";

    private final Scheduler scheduler;
    private final boolean enabled;
    private final boolean weeklySummary;

    public ReconciliationSchedules(Scheduler scheduler, SynclineConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> storeUrl) {
        this.scheduler = scheduler;
        // The embedded store refuses reconciliation: a schedule would only fail at every fire.
        this.enabled = config.reconciliation().schedulesEnabled() && !storeUrl.map(StateStoreDriver::isEmbedded).orElse(false);
        this.weeklySummary = enabled && config.reconciliation().notificationUrl().filter(url -> !url.isBlank()).isPresent();
    }

    /** Whether the weekly summary is sent: schedules enabled and a notification URL set. */
    public boolean weeklySummary() {
        return weeklySummary;
    }

    /** Whether declared schedules become routes: {@code syncline.reconciliation.schedules-enabled} on a PostgreSQL store. */
    public boolean enabled() {
        return enabled;
    }

    /** Removes every stored trigger of a system's task ({@code <system>-<task>}) not in {@code scheduled}. */
    public void keepOnlySystemTasks(Set<String> scheduled) throws SchedulerException {
        for (JobKey stored : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(SYSTEM_GROUP))) {
            if (!scheduled.contains(stored.getName())) {
                scheduler.deleteJob(stored);
                LOG.infof("Schedule %s removed: no system of the model runs it", stored.getName());
            }
        }
    }

    /** Removes every stored trigger of a job not in {@code scheduled}. */
    public void keepOnly(Set<String> scheduled) throws SchedulerException {
        for (JobKey stored : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!scheduled.contains(stored.getName())) {
                scheduler.deleteJob(stored);
                LOG.infof("Reconciliation schedule %s removed: not scheduled by the model", stored.getName());
            }
        }
        for (JobKey former : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(FORMER_GROUP))) {
            scheduler.deleteJob(former);
        }
        if (!weeklySummary) {
            for (JobKey summary : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(SUMMARY_GROUP))) {
                scheduler.deleteJob(summary);
            }
        }
    }
}
