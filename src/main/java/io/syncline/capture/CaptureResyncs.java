package io.syncline.capture;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.syncline.reconcile.ReconciliationRun;
import io.syncline.reconcile.ReconciliationService;
import io.syncline.store.StateStoreDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.quartz.Scheduler;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The reconciliations captures ask for when their change stream lost changes, durably: each is
 * recorded ({@link CaptureResyncRepository}) in the transaction that stores the message saying so,
 * and a worker on each replica runs the pending ones, one job at a time. A job's pending requests
 * are answered by one run, named in its {@code requested_by}, and marked done with it once it ended;
 * requests a replica claimed and could not finish (it died, or stopped during the run) are run again,
 * here or by another replica, so that the lost changes are reconciled whatever happens to a process.
 */
@ApplicationScoped
public class CaptureResyncs {

    /** How long the worker waits, when nothing woke it, before it looks for pending requests again. */
    static final Duration POLL = Duration.ofSeconds(5);
    /** How long a stopping replica waits for its worker to give back what it claimed. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** The length of a run's {@code requested_by}. */
    private static final int REQUESTED_BY = 200;
    private static final Logger LOG = Logger.getLogger(CaptureResyncs.class);

    @Inject
    CaptureResyncRepository requests;
    @Inject
    Instance<ReconciliationService> reconciliation;
    @Inject
    Scheduler scheduler;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> storeUrl;

    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean stopping;
    private volatile Thread worker;

    void start(@Observes StartupEvent event) {
        if (storeUrl.map(StateStoreDriver::isEmbedded).orElse(false)) {
            LOG.info("Reconciliations asked for by captures that lost changes are kept, and run on a PostgreSQL state store only");
            return;
        }
        Thread thread = new Thread(this::work, "syncline-capture-resync");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
            thread.join(STOP_WAIT.toMillis());
        }
    }

    /** Records, on the caller's connection and in its transaction, that each of {@code jobs} must run for {@code reason}. */
    void request(Connection connection, List<String> jobs, String entity, String system, String reason) throws SQLException {
        Instant now = Instant.now();
        for (String job : jobs) {
            requests.request(connection, job, entity, system, reason, now);
        }
    }

    /** After requests were committed: the worker looks for them now rather than at its next poll. */
    void wake() {
        wakeups.release();
    }

    private void work() {
        while (!stopping) {
            try {
                wakeups.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            try {
                while (!stopping && runNext()) {
                    // the next job with pending requests, if any
                }
            } catch (Exception e) {
                if (!stopping) {
                    LOG.warnf("Reconciliations asked for by captures wait, trying again in %d s: %s", POLL.toSeconds(), e.getMessage());
                }
            }
        }
    }

    /** Claims the pending requests of the longest waiting job and runs it; whether it ran one. */
    private boolean runNext() throws Exception {
        String instance = scheduler.getSchedulerInstanceId();
        ReconciliationService service = reconciliation.get();
        Set<String> jobs = service.jobs();
        for (String job : requests.claimable(instance)) {
            // a job the model in force does not declare keeps its requests until a model declares it again
            if (jobs.contains(job)) {
                Optional<CaptureResyncRepository.Claim> claim = requests.claim(job, instance, Instant.now());
                if (claim.isPresent()) {
                    run(service, claim.get(), instance);
                    return true;
                }
            }
        }
        return false;
    }

    private void run(ReconciliationService service, CaptureResyncRepository.Claim claim, String instance) throws Exception {
        String requestedBy = requestedBy(claim.reasons());
        LOG.warnf("%s: reconciliation %s starts", requestedBy, claim.job());
        ReconciliationRun run;
        try {
            run = service.run(claim.job(), false, requestedBy);
        } catch (Exception e) {
            requests.release(claim.job(), instance);
            throw e;
        }
        if (stopping && "failed".equals(run.status())) {
            // ended by this replica's stop rather than by what it found: it runs again, here or elsewhere
            requests.release(claim.job(), instance);
            return;
        }
        requests.done(claim.job(), instance, run.id(), run.status(), Instant.now());
        if ("failed".equals(run.status())) {
            LOG.errorf("Reconciliation %s, started because %s, failed: %s", claim.job(), requestedBy, String.join("; ", run.reasons()));
        }
    }

    /** What a run answering {@code reasons} is recorded as requested by: the first, and how many more it answers. */
    static String requestedBy(List<String> reasons) {
        String more = reasons.size() == 1 ? "" : " (and " + (reasons.size() - 1) + " more lost-changes requests of the job, answered"
                + " by this run)";
        String first = reasons.get(0);
        int room = REQUESTED_BY - more.length();
        return (first.length() > room ? first.substring(0, room - 1) + "…" : first) + more;
    }
}
