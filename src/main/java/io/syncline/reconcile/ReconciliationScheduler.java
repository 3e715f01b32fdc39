package io.syncline.reconcile;

import io.syncline.config.SynclineConfig;
import io.syncline.model.ReconciliationDefinition;
import io.syncline.sync.SyncModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.apache.camel.quarkus.main.events.AfterStart;
import org.jboss.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

/**
 * Puts each scheduled reconciliation job of the model into the clustered Quartz store, once
 * the model is loaded. Every replica does this at start-up; the store is shared, so a trigger
 * that is already there with the same cron is left alone (replacing it would reset its fire
 * times under a replica that may be firing it), a changed cron replaces it, and a job no longer
 * in the model is removed.
 *
 * <p>Misfire policy: {@code withMisfireHandlingInstructionFireAndProceed}. When every replica
 * was down across several fire times (or the one running died), the replica that takes over
 * fires the job <em>once</em> at once and then follows the cron; it does not replay each missed
 * fire. A reconciliation compares the systems as they are now, so one late run answers all the
 * missed ones; a burst of identical runs would only load the sources.
 */
@ApplicationScoped
public class ReconciliationScheduler {

    static final String GROUP = "syncline-reconciliation";
    static final String WEEKLY_SUMMARY = "weekly-summary";
    private static final Logger LOG = Logger.getLogger(ReconciliationScheduler.class);

    private final Scheduler scheduler;
    private final SyncModelRegistry registry;
    private final SynclineConfig config;

    public ReconciliationScheduler(Scheduler scheduler, SyncModelRegistry registry, SynclineConfig config) {
        this.scheduler = scheduler;
        this.registry = registry;
        this.config = config;
    }

    void onCamelStarted(@Observes AfterStart event) throws SchedulerException {
        schedule();
    }

    @Transactional
    public void schedule() throws SchedulerException {
        Set<String> wanted = new HashSet<>();
        if (config.reconciliation().schedulesEnabled()) {
            for (Map.Entry<String, ReconciliationDefinition> job : registry.current().model().reconciliations().entrySet()) {
                if (job.getValue().schedule() != null) {
                    ensure(job.getKey(), job.getValue().schedule(), ReconciliationQuartzJob.class);
                    wanted.add(job.getKey());
                }
            }
            if (config.reconciliation().notificationUrl().isPresent()) {
                ensure(WEEKLY_SUMMARY, config.reconciliation().weeklySummary(), WeeklySummaryQuartzJob.class);
                wanted.add(WEEKLY_SUMMARY);
            }
        }
        for (JobKey stored : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.contains(stored.getName())) {
                scheduler.deleteJob(stored);
                LOG.infof("Reconciliation schedule %s removed: no longer in the model", stored.getName());
            }
        }
    }

    private void ensure(String name, String cron, Class<? extends Job> type) throws SchedulerException {
        TriggerKey key = TriggerKey.triggerKey(name, GROUP);
        Trigger existing = scheduler.getTrigger(key);
        if (existing instanceof CronTrigger stored && cron.equals(stored.getCronExpression())
                && stored.getJobKey().equals(JobKey.jobKey(name, GROUP))) {
            return;
        }
        JobDetail job = JobBuilder.newJob(type).withIdentity(name, GROUP).storeDurably()
                // A run cut short by a dying replica is not re-run by another: the next fire reconciles afresh.
                .requestRecovery(false).build();
        CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone("UTC"))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
        try {
            scheduler.scheduleJob(job, Set.of(trigger), true);
            LOG.infof("Reconciliation schedule %s: %s (UTC)", name, cron);
        } catch (ObjectAlreadyExistsException e) {
            // Another replica stored it at the same moment: the same model, the same trigger.
        }
    }
}
