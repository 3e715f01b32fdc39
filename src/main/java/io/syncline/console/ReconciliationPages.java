package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.syncline.reconcile.ReconciliationRun;
import io.syncline.reconcile.ReconciliationService;
import io.syncline.reconcile.StoredDifference;
import io.syncline.reconcile.UnknownJobException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reconciliation in the console: each job's runs (verdict, counts per bucket, duration, why a run
 * was untrustworthy), a run's differences with both sides' values, a run or dry run started now
 * (on a worker thread, as {@code POST /admin/reconciliations/{job}/runs} runs it), and a run's
 * differences as CSV.
 */
@ApplicationScoped
public class ReconciliationPages {

    private static final Logger LOG = Logger.getLogger(ReconciliationPages.class);
    static final int RUNS = 50;
    static final int SHOWN_DIFFERENCES = 1000;
    static final int CSV_DIFFERENCES = 100_000;
    private static final List<String> BUCKETS = List.of("only_in_a", "only_in_b", "mismatched");

    @Inject
    ReconciliationService service;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/reconciliation", methods = Route.HttpMethod.GET)
    @Blocking
    void runs(RoutingContext rc) throws SQLException {
        String job = ConsoleForms.param(rc, "job");
        Map<String, Object> data = new HashMap<>();
        data.put("jobs", new TreeSet<>(service.jobs()));
        data.put("job", job);
        data.put("runs", service.runs().list(job, null, RUNS));
        data.put("started", ConsoleForms.param(rc, "started"));
        responder.page(rc, 200, "reconciliation", "reconciliation", data);
    }

    @Route(regex = "/console/reconciliation/runs/(?<id>\\d+)", methods = Route.HttpMethod.GET)
    @Blocking
    void run(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        ReconciliationRun run = service.runs().find(id).orElse(null);
        if (run == null) {
            responder.error(rc, 404, "No such run", "There is no reconciliation run " + id + ".");
            return;
        }
        String bucket = ConsoleForms.param(rc, "bucket");
        if (bucket != null && !BUCKETS.contains(bucket)) {
            responder.error(rc, 400, "Unknown bucket", "Bucket '" + bucket + "' is unknown; use one of " + BUCKETS);
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("run", run);
        data.put("bucket", bucket);
        data.put("buckets", BUCKETS);
        data.put("differences", service.differences(id, null, null, bucket, SHOWN_DIFFERENCES));
        data.put("shownLimit", SHOWN_DIFFERENCES);
        responder.page(rc, 200, "reconciliation-run", "reconciliation", data);
    }

    @Route(regex = "/console/reconciliation/runs/(?<id>\\d+)/differences\\.csv", methods = Route.HttpMethod.GET)
    @Blocking
    void csv(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        List<StoredDifference> differences = service.differences(id, null, null, ConsoleForms.param(rc, "bucket"), CSV_DIFFERENCES);
        rc.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"reconciliation-run-" + id + "-differences.csv\"")
                .putHeader("Cache-Control", "no-store")
                .end(DifferencesCsv.of(differences));
    }

    /** Starts a run ({@code dryRun=true}: a dry run) of {@code job} and shows the job's runs. */
    @Route(path = "/console/reconciliation/runs", methods = Route.HttpMethod.POST)
    @Blocking
    void start(RoutingContext rc) {
        String job = ConsoleForms.param(rc, "job");
        boolean dryRun = "true".equals(ConsoleForms.param(rc, "dryRun"));
        if (job == null || !service.jobs().contains(job)) {
            responder.error(rc, 404, "No such job", "There is no reconciliation job '" + job + "'.");
            return;
        }
        String user = responder.user();
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                service.run(job, dryRun, user);
            } catch (UnknownJobException e) {
                LOG.warnf("Reconciliation job %s started by %s is gone: %s", job, user, e.getMessage());
            } catch (Exception e) {
                LOG.errorf(e, "Reconciliation run of %s started by %s failed", job, user);
            }
        });
        LOG.infof("Reconciliation %s of %s started by %s", dryRun ? "dry run" : "run", job, user);
        responder.seeOther(rc, "/console/reconciliation?" + ConsoleQuery.of("job", job, "started", dryRun ? "dry run" : "run"));
    }
}
