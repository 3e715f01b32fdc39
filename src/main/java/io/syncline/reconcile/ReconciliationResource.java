package io.syncline.reconcile;

import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
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

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admin JSON API of reconciliation, for users in role {@code admin}: the jobs, a run on demand
 * (a dry run applies no response), the runs, and their differences by run, job, entity and bucket;
 * and dropping what keeps a job's maintained checksums.
 */
@Path("/reconciliations")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private static final Set<String> BUCKETS = Set.of("only_in_a", "only_in_b", "mismatched");
    private static final int MAX_LIMIT = 10_000;

    @Inject
    ReconciliationService service;

    @GET
    public List<ReconciliationJob> jobs() {
        return service.jobs().stream().sorted().map(service::job).toList();
    }

    /** Runs the job now and answers the finished run; {@code dryRun=true} reports what it would do and does nothing. */
    @POST
    @Path("/{job}/runs")
    public Response run(@PathParam("job") String job, @QueryParam("dryRun") String dryRunParam,
            @Context SecurityContext security) throws Exception {
        boolean dryRun = AdminParams.flag("dryRun", dryRunParam);
        try {
            return Response.ok(service.run(job, dryRun, security.getUserPrincipal().getName())).build();
        } catch (UnknownJobException e) {
            return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", e.getMessage());
        } catch (EmbeddedStoreException e) {
            return ErrorBody.response(Response.Status.CONFLICT, "embedded_store", e.getMessage());
        }
    }

    /**
     * Drops the triggers and tables through which both databases keep the job's checksums
     * ({@code checksums: maintained}); its next run installs them again unless the job changed.
     */
    @DELETE
    @Path("/{job}/checksums")
    public Response dropMaintainedChecksums(@PathParam("job") String job) throws SQLException {
        try {
            return Response.ok(Map.of("job", job, "dropped", service.dropMaintainedChecksums(job))).build();
        } catch (UnknownJobException e) {
            return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", e.getMessage());
        }
    }

    @GET
    @Path("/runs")
    public List<ReconciliationRun> runs(@QueryParam("job") String job, @QueryParam("status") String status,
            @QueryParam("limit") String limit) throws SQLException {
        return service.runs().list(job, status, AdminParams.limit("limit", limit, 100, MAX_LIMIT));
    }

    @GET
    @Path("/runs/{id}")
    public Response run(@PathParam("id") long id) throws SQLException {
        return service.runs().find(id).map(run -> Response.ok(run).build())
                .orElseGet(() -> ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No reconciliation run " + id));
    }

    @GET
    @Path("/runs/{id}/differences")
    public Response runDifferences(@PathParam("id") long id, @QueryParam("bucket") String bucket,
            @QueryParam("limit") String limit) throws SQLException {
        return differences(String.valueOf(id), null, null, bucket, limit);
    }

    @GET
    @Path("/differences")
    public Response differences(@QueryParam("run") String run, @QueryParam("job") String job,
            @QueryParam("entity") String entity, @QueryParam("bucket") String bucket,
            @QueryParam("limit") String limit) throws SQLException {
        AdminParams.oneOf("bucket", bucket, BUCKETS);
        return Response.ok(service.differences(AdminParams.id("run", run), job, entity, bucket,
                AdminParams.limit("limit", limit, 1000, MAX_LIMIT))).build();
    }
}
