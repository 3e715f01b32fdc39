package io.syncline.reconcile;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** The weekly summary: every job's runs and both sides' counts, sent whether or not anything differed. */
@DisallowConcurrentExecution
@RegisterForReflection
public class WeeklySummaryQuartzJob implements Job {

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            Arc.container().instance(ReconciliationService.class).get().sendWeeklySummary(context.getFireTime().toInstant());
        } catch (Exception e) {
            throw new JobExecutionException("Weekly reconciliation summary failed: " + e.getMessage(), e, false);
        }
    }
}
