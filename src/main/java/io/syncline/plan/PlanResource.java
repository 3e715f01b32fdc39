package io.syncline.plan;

import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.model.ModelFile;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Admin API of sync plans (docs/plan.md), for users in role {@code admin}: {@code POST /admin/plans}
 * with a candidate model's files as multipart parts named {@code model} (no body, or no such part:
 * the running model) answers the plan once made: what each target would get, nothing written. {@code bin/syncline
 * plan} sends a folder's model files and exits with the plan's {@code exitCode}.
 */
@Path("/plans")
@RolesAllowed("admin")
public class PlanResource {

    private static final Logger LOG = Logger.getLogger(PlanResource.class);
    private static final long MAX_TIMEOUT_SECONDS = 3600;

    @Inject
    PlanService plans;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response candidate(@RestForm("model") List<FileUpload> model, @QueryParam("entity") List<String> entities,
            @QueryParam("source") String source, @QueryParam("target") List<String> targets, @QueryParam("limit") String limit,
            @QueryParam("timeout") String timeout, @QueryParam("format") String format) throws Exception {
        return plan(files(model), entities, source, targets, limit, timeout, format);
    }

    /** A plan of the running model: a new sync's, or what the model would change now. */
    @POST
    public Response running(@QueryParam("entity") List<String> entities, @QueryParam("source") String source,
            @QueryParam("target") List<String> targets, @QueryParam("limit") String limit, @QueryParam("timeout") String timeout,
            @QueryParam("format") String format) throws Exception {
        return plan(List.of(), entities, source, targets, limit, timeout, format);
    }

    private Response plan(List<ModelFile> files, List<String> entities, String source, List<String> targets, String limit,
            String timeout, String format) throws Exception {
        if (format != null && !format.equals("json") && !format.equals("text")) {
            return ErrorBody.response(400, "bad_request", "format is json or text, not '" + format + "'", "format");
        }
        Long records = limit == null ? null : (long) AdminParams.limit("limit", limit, 0, Integer.MAX_VALUE);
        Duration bound = timeout == null ? null
                : Duration.ofSeconds(AdminParams.limit("timeout", timeout, 0, (int) MAX_TIMEOUT_SECONDS));
        Plan plan;
        try {
            plan = plans.plan(new PlanRequest(files, entities, source, targets, records, bound));
        } catch (PlanRefusedException e) {
            return ErrorBody.response(e);
        } catch (Exception e) {
            // a source or a target that failed on the way (after its retries): no plan, and why
            LOG.warnf("A plan failed: %s", e.getMessage());
            return ErrorBody.response(502, "plan_failed", "the plan stopped: " + e.getMessage(), null);
        }
        if ("text".equals(format)) {
            return Response.ok(PlanText.of(plan), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
        }
        return Response.ok(plan, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The model files sent as multipart parts named {@code model}. */
    static List<ModelFile> files(List<FileUpload> model) {
        List<ModelFile> files = new ArrayList<>();
        for (FileUpload file : model == null ? List.<FileUpload>of() : model) {
            files.add(new ModelFile("upload:" + file.fileName(), read(file)));
        }
        return files;
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new PlanRefusedException(400, "bad_request", "model file " + file.fileName() + " could not be read: " + e.getMessage());
        }
    }
}
