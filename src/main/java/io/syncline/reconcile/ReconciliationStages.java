package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.exchange.ExchangeContract;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stages of the {@code reconcile} route template (route-templates/reconcile.camel.yaml),
 * one method each, over the run the route carries as its body ({@link RunInProgress}). The work
 * is {@link Reconciler}'s; this bean adds what the application does around it: the state-store
 * check, the dead letter of a failed run, the quality metrics and the notification.
 */
@ApplicationScoped
@Named("ReconciliationStages")
@RegisterForReflection
public class ReconciliationStages {

    @Inject
    ReconciliationService service;
    @Inject
    DeadLetterRepository deadLetters;
    @Inject
    ObjectMapper mapper;

    /** The endpoint of the job's run route. */
    public static String endpoint(String job) {
        return "direct:reconcile-" + job;
    }

    /** A fire of the job's Quartz trigger, on this replica: the run it asks for. */
    public RunTrigger scheduled(@Header("scheduledFireTime") Date fireTime) throws Exception {
        return RunTrigger.scheduled(fireTime.toInstant(), service.instanceId());
    }

    /** The run recorded as started. */
    public RunInProgress start(@ExchangeProperty(ExchangeContract.RECONCILIATION_JOB) String job, @Body RunTrigger trigger)
            throws Exception {
        service.requireStore();
        return service.reconciler().start(job, trigger);
    }

    public void plan(RunInProgress run) throws Exception {
        service.reconciler().plan(run);
    }

    public void pull(RunInProgress run) throws Exception {
        service.reconciler().pull(run);
    }

    public void check(RunInProgress run) throws Exception {
        service.reconciler().check(run);
    }

    public void diff(RunInProgress run) throws Exception {
        service.reconciler().diff(run);
    }

    public void respond(RunInProgress run) throws Exception {
        service.reconciler().respond(run);
    }

    public void finish(RunInProgress run) throws Exception {
        service.reconciler().finish(run);
    }

    /**
     * A run that broke is recorded as failed with its cause, and kept as a dead letter naming the
     * job's route: the next fire (or a run started by hand) reconciles afresh.
     */
    public void fail(RunInProgress run, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
            @ExchangeProperty(Exchange.FAILURE_ROUTE_ID) String routeId) throws Exception {
        service.reconciler().fail(run, cause);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("job", run.job());
        payload.put("run", run.id());
        payload.put("trigger", run.trigger.kind());
        payload.put("dryRun", run.trigger.dryRun());
        deadLetters.storeFailure(routeId == null ? "reconcile-" + run.job() : routeId, run.job.entity(),
                run.job.sideA(), mapper.writeValueAsString(payload), cause);
    }

    public void close(RunInProgress run) {
        service.reconciler().close(run);
    }

    /** The finished run, counted in the quality metrics and notified (differences or an untrustworthy verdict). */
    public ReconciliationRun publish(RunInProgress run) throws Exception {
        ReconciliationRun finished = service.runs().find(run.id()).orElseThrow();
        service.metrics().record(run.job, finished);
        service.notifier().runFinished(finished);
        return finished;
    }

    /** A fire of the weekly summary's trigger. */
    public boolean weeklySummary(@Header("fireTime") Date fireTime) throws Exception {
        return service.sendWeeklySummary(fireTime == null ? Instant.now() : fireTime.toInstant());
    }
}
