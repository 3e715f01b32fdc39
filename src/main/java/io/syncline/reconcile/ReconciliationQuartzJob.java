package io.syncline.reconcile;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * A fire of a reconciliation's Quartz trigger, on whichever replica acquired it. Concurrent
 * execution is disallowed cluster-wide: a run still going when its next fire comes delays that
 * fire instead of overlapping it.
 */
@DisallowConcurrentExecution
@RegisterForReflection
public class ReconciliationQuartzJob implements Job {

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String job = context.getJobDetail().getKey().getName();
        try {
            Arc.container().instance(ReconciliationService.class).get().run(job,
                    RunTrigger.scheduled(context.getScheduledFireTime().toInstant(), context.getScheduler().getSchedulerInstanceId()));
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        } catch (Exception e) {
            // Not refired: the run is recorded as failed; the next fire tries again.
            throw new JobExecutionException("Reconciliation " + job + " failed: " + e.getMessage(), e, false);
        }
    }
}
