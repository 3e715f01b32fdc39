package io.syncline.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.text.CsvField;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Admin JSON API of backfills (docs/backfill.md), for users in role {@code admin}: the model's
 * backfills, a dry run or a run started, a job's progress, its dry run's report (JSON pages or
 * the whole as CSV), and pause, resume, cancel.
 */
@Path("/backfills")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class BackfillResource {

    private static final Set<String> OUTCOMES = Set.of("create", "update", "unchanged", "delete", "hold", "reject", "skip");
    private static final int MAX_LIMIT = 10_000;
    private static final int CSV_PAGE = 5_000;

    @Inject
    BackfillService service;
    @Inject
    ObjectMapper json;

    @GET
    public List<BackfillService.Declared> backfills() {
        return service.declared();
    }

    /** Queues a dry run: 202 with the job; its report fills as it reads. */
    @POST
    @Path("/{name}/dry-runs")
    public Response dryRun(@PathParam("name") String name, @Context SecurityContext security) {
        return answer(Response.Status.ACCEPTED, () -> service.startDryRun(name, security.getUserPrincipal().getName()));
    }

    /** Queues a run from completed dry run {@code dryRun}; {@code confirm=true} when the dry run updates many records. */
    @POST
    @Path("/{name}/runs")
    public Response run(@PathParam("name") String name, @QueryParam("dryRun") String dryRun, @QueryParam("confirm") String confirm,
            @Context SecurityContext security) {
        Long dryRunId = AdminParams.id("dryRun", dryRun);
        if (dryRunId == null) {
            return ErrorBody.response(400, "missing_parameter", "a run starts from a dry run: give dryRun=<the dry run's job id>",
                    "dryRun");
        }
        boolean confirmed = AdminParams.flag("confirm", confirm);
        return answer(Response.Status.ACCEPTED, () -> service.startRun(name, dryRunId, confirmed,
                security.getUserPrincipal().getName()));
    }

    @GET
    @Path("/jobs")
    public Response jobs(@QueryParam("backfill") String backfill, @QueryParam("limit") String limit) {
        int max = AdminParams.limit("limit", limit, 100, MAX_LIMIT);
        return answer(Response.Status.OK, () -> service.jobs(backfill, max));
    }

    @GET
    @Path("/jobs/{id}")
    public Response job(@PathParam("id") long id) {
        return answer(Response.Status.OK, () -> service.progress(id));
    }

    /**
     * A page of a dry run's report in source order, a record's lines (one per target) together;
     * {@code after}: the {@code seq} of the last line of the page before. An empty page is the end.
     */
    @GET
    @Path("/jobs/{id}/report")
    public Response report(@PathParam("id") long id, @QueryParam("outcome") String outcome, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        String only = AdminParams.oneOf("outcome", outcome, OUTCOMES);
        Long afterSeq = AdminParams.id("after", after);
        int max = AdminParams.limit("limit", limit, 1000, MAX_LIMIT);
        return answer(Response.Status.OK, () -> service.report(id, only, afterSeq == null ? 0 : afterSeq, max));
    }

    /** The whole report (or one outcome's lines) as CSV, read from the store a page at a time as it is sent. */
    @GET
    @Path("/jobs/{id}/report.csv")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    public Response reportCsv(@PathParam("id") long id, @QueryParam("outcome") String outcome) {
        String only = AdminParams.oneOf("outcome", outcome, OUTCOMES);
        return answer(Response.Status.OK, () -> {
            service.report(id, only, 0, 1); // 404 or 409 before the first byte, not in the middle of the file
            StreamingOutput csv = output -> {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
                writer.write("seq,source_key,target,outcome,target_id,match_rule,changes,reason,entity,unresolved\r\n");
                long afterSeq = 0;
                while (true) {
                    List<BackfillItem> items;
                    try {
                        items = service.report(id, only, afterSeq, CSV_PAGE);
                    } catch (java.sql.SQLException e) {
                        throw new java.io.IOException("reading the report of job " + id + " failed: " + e.getMessage(), e);
                    }
                    for (BackfillItem item : items) {
                        writer.write(String.join(",", CsvField.of(item.seq()), CsvField.of(item.sourceKey()),
                                CsvField.of(item.target()), CsvField.of(item.outcome()), CsvField.of(item.targetId()),
                                CsvField.of(item.matchRule()),
                                CsvField.of(item.changes().isEmpty() ? null : json.writeValueAsString(item.changes())),
                                CsvField.of(item.reason()), CsvField.of(item.entity()), CsvField.of((long) item.unresolved())));
                        writer.write("\r\n");
                    }
                    writer.flush();
                    if (items.isEmpty()) {
                        return;
                    }
                    afterSeq = items.get(items.size() - 1).seq();
                }
            };
            return Response.ok(csv, "text/csv").header("Content-Disposition", "attachment; filename=\"backfill-" + id + "-report.csv\"")
                    .build();
        });
    }

    @POST
    @Path("/jobs/{id}/pause")
    public Response pause(@PathParam("id") long id) {
        return answer(Response.Status.OK, () -> service.pause(id));
    }

    @POST
    @Path("/jobs/{id}/resume")
    public Response resume(@PathParam("id") long id) {
        return answer(Response.Status.OK, () -> service.resume(id));
    }

    @POST
    @Path("/jobs/{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        return answer(Response.Status.OK, () -> service.cancel(id));
    }

    private static Response answer(Response.Status status, Callable<?> work) {
        try {
            Object body = work.call();
            return body instanceof Response response ? response : Response.status(status).entity(body).build();
        } catch (UnknownBackfillException e) {
            return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", e.getMessage());
        } catch (BackfillRefusedException e) {
            return ErrorBody.response(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
