package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.model.ModelFile;
import io.syncline.plan.Plan;
import io.syncline.plan.PlanRefusedException;
import io.syncline.plan.PlanRequest;
import io.syncline.plan.PlanService;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sync plans in the console: a form to upload a candidate model's files (or none, for the running
 * model) with the plan's bounds, and the plan it makes, as {@code POST /admin/plans} and
 * {@code bin/syncline plan} make it: per entity and target the outcomes, then each record that
 * would change, be held or rejected, field by field. Nothing is written; a plan is not kept.
 */
@ApplicationScoped
public class PlanPages {

    private static final Logger LOG = Logger.getLogger(PlanPages.class);
    /** The lines a page shows; the admin API answers them all. */
    static final int LINES = 500;

    @Inject
    PlanService plans;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/plans", methods = Route.HttpMethod.GET)
    @Blocking
    void form(RoutingContext rc) {
        Map<String, Object> data = new HashMap<>();
        data.put("plan", null); // the form alone: no plan made yet
        responder.page(rc, 200, "plans", "plans", data);
    }

    @Route(path = "/console/plans", methods = Route.HttpMethod.POST)
    @Blocking
    void plan(RoutingContext rc) {
        List<ModelFile> files = new ArrayList<>();
        try {
            for (FileUpload upload : rc.fileUploads()) {
                if (upload.name().equals("model") && upload.size() > 0) {
                    files.add(new ModelFile("upload:" + upload.fileName(), Files.readAllBytes(Path.of(upload.uploadedFileName()))));
                }
            }
        } catch (IOException e) {
            responder.error(rc, 400, "Upload failed", "The model files could not be read: " + e.getMessage());
            return;
        }
        String entity = ConsoleForms.param(rc, "entity");
        int limit = ConsoleForms.number(rc, "limit", 0);
        int timeout = ConsoleForms.number(rc, "timeout", 0);
        Plan plan;
        try {
            plan = plans.plan(new PlanRequest(files, entity == null ? List.of() : List.of(entity), null, List.of(),
                    limit > 0 ? (long) limit : null, timeout > 0 ? Duration.ofSeconds(Math.min(timeout, 3600)) : null));
        } catch (PlanRefusedException e) {
            responder.error(rc, e.status(), "No plan", e.getMessage());
            return;
        } catch (Exception e) {
            LOG.errorf(e, "A plan asked for by %s failed", responder.user());
            responder.error(rc, 500, "Failed", "The plan failed: " + e.getMessage());
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("plan", plan);
        data.put("files", files.stream().map(file -> file.location().substring("upload:".length())).toList());
        data.put("lines", plan.lines().size() > LINES ? plan.lines().subList(0, LINES) : plan.lines());
        data.put("moreLines", Math.max(0, plan.lines().size() - LINES));
        responder.page(rc, 200, "plans", "plans", data);
    }
}
