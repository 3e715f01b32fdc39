package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.backfill.BackfillJob;
import io.syncline.backfill.BackfillRefusedException;
import io.syncline.backfill.BackfillService;
import io.syncline.backfill.UnknownBackfillException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Backfills in the console: the model's backfills with a dry run to start, their jobs with how far
 * each has read, and a job's page with its progress (for a run: its events by inbox status and
 * what the audit says became of them; for a dry run: its outcomes by target), the run started
 * from a completed dry run, and pause, resume and cancel, as {@code /admin/backfills} does them.
 */
@ApplicationScoped
public class BackfillPages {

    private static final Logger LOG = Logger.getLogger(BackfillPages.class);
    static final int JOBS = 50;

    @Inject
    BackfillService service;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/backfills", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws SQLException {
        String backfill = ConsoleForms.param(rc, "backfill");
        Map<String, Object> data = new HashMap<>();
        data.put("backfills", service.declared());
        data.put("backfill", backfill);
        data.put("jobs", service.jobs(backfill, JOBS));
        responder.page(rc, 200, "backfills", "backfills", data);
    }

    @Route(regex = "/console/backfills/jobs/(?<id>\\d+)", methods = Route.HttpMethod.GET)
    @Blocking
    void job(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        BackfillService.Progress progress;
        try {
            progress = service.progress(id);
        } catch (UnknownBackfillException e) {
            responder.error(rc, 404, "No such job", "There is no backfill job " + id + ".");
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("progress", progress);
        data.put("job", progress.job());
        data.put("done", ConsoleForms.param(rc, "done"));
        responder.page(rc, 200, "backfill-job", "backfills", data);
    }

    /** Queues a dry run of backfill {@code name} and shows its job. */
    @Route(path = "/console/backfills/dry-runs", methods = Route.HttpMethod.POST)
    @Blocking
    void dryRun(RoutingContext rc) {
        String name = ConsoleForms.param(rc, "backfill");
        act(rc, "dry run queued", () -> service.startDryRun(name, responder.user()));
    }

    /** Queues the run of completed dry run {@code dryRun}, confirmed or not, and shows its job. */
    @Route(path = "/console/backfills/runs", methods = Route.HttpMethod.POST)
    @Blocking
    void run(RoutingContext rc) {
        String name = ConsoleForms.param(rc, "backfill");
        String dryRun = ConsoleForms.param(rc, "dryRun");
        boolean confirm = "true".equals(ConsoleForms.param(rc, "confirm"));
        if (dryRun == null || !dryRun.matches("\\d{1,18}")) {
            responder.error(rc, 400, "No dry run", "A run starts from a completed dry run: give the dry run's job id.");
            return;
        }
        act(rc, "run queued", () -> service.startRun(name, Long.parseLong(dryRun), confirm, responder.user()));
    }

    @Route(regex = "/console/backfills/jobs/(?<id>\\d+)/pause", methods = Route.HttpMethod.POST)
    @Blocking
    void pause(RoutingContext rc) {
        long id = ConsoleForms.id(rc);
        act(rc, "paused", () -> service.pause(id));
    }

    @Route(regex = "/console/backfills/jobs/(?<id>\\d+)/resume", methods = Route.HttpMethod.POST)
    @Blocking
    void resume(RoutingContext rc) {
        long id = ConsoleForms.id(rc);
        act(rc, "resumed", () -> service.resume(id));
    }

    @Route(regex = "/console/backfills/jobs/(?<id>\\d+)/cancel", methods = Route.HttpMethod.POST)
    @Blocking
    void cancel(RoutingContext rc) {
        long id = ConsoleForms.id(rc);
        act(rc, "cancelled", () -> service.cancel(id));
    }

    /** What a button asks of the service. */
    @FunctionalInterface
    private interface Action {

        BackfillJob apply() throws Exception;
    }

    /** Does {@code action} and shows the job it acted on; a refusal is a 409 naming why, an unknown job or backfill a 404. */
    private void act(RoutingContext rc, String done, Action action) {
        BackfillJob job;
        try {
            job = action.apply();
        } catch (UnknownBackfillException e) {
            responder.error(rc, 404, "No such backfill", e.getMessage());
            return;
        } catch (BackfillRefusedException e) {
            responder.error(rc, e.status(), "Refused", e.getMessage());
            return;
        } catch (Exception e) {
            LOG.errorf(e, "Backfill action (%s) by %s failed", done, responder.user());
            responder.error(rc, 500, "Failed", "The backfill action failed: " + e.getMessage());
            return;
        }
        LOG.infof("Backfill job %d of %s %s by %s", job.id(), job.backfill(), done, responder.user());
        responder.seeOther(rc, "/console/backfills/jobs/" + job.id() + "?" + ConsoleQuery.of("done", done));
    }
}
