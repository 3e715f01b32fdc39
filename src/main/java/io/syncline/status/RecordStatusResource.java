package io.syncline.status;

import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admin JSON API for users in role {@code admin}: where one record stands in every system, and
 * the sync-before-ship gate ("is this record in system X current with its master?"), which can
 * push the master's values first and answer after.
 */
@Path("/records")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class RecordStatusResource {

    @Inject
    RecordStatusService status;
    @Inject
    RecordResync resync;

    /** {@code id} is the canonical id, or with {@code ?by=crm} the record's id in that system. */
    @GET
    @Path("/{entity}/{id}")
    public Response show(@PathParam("entity") String entity, @PathParam("id") String id, @QueryParam("by") String by)
            throws SQLException {
        try {
            return Response.ok(status.status(entity, id, by)).build();
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "bad_request", e.getMessage());
        } catch (RecordStatusService.UnknownRecordException e) {
            return error(Response.Status.NOT_FOUND, "not_found", e.getMessage());
        }
    }

    /**
     * The gate: {@code current} says whether {@code system} holds the master's values of the
     * record. With {@code syncNow=true} a system that is not current first gets the master's
     * last known values through the normal path, and the answer comes once that is done (or
     * after {@code syncline.records.sync-wait}).
     */
    @GET
    @Path("/{entity}/{id}/current")
    public Response current(@PathParam("entity") String entity, @PathParam("id") String id, @QueryParam("by") String by,
            @QueryParam("system") String system, @QueryParam("syncNow") String syncNowParam,
            @Context SecurityContext security) throws SQLException, InterruptedException {
        boolean syncNow = AdminParams.flag("syncNow", syncNowParam);
        if (system == null) {
            return error(Response.Status.BAD_REQUEST, "bad_request", "Name the system to check: ?system=<name>");
        }
        try {
            RecordStatus record = status.status(entity, id, by);
            SystemStatus before = status.of(record, system);
            String canonicalId = record.canonicalId();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("entity", entity);
            answer.put("canonicalId", canonicalId);
            answer.put("system", system);
            SystemStatus after = before;
            if (syncNow && !before.current()) {
                RecordResync.Outcome pushed = resync.push(entity, canonicalId, system, security.getUserPrincipal().getName());
                answer.put("sync", pushed);
                after = status.of(status.status(entity, canonicalId, null), system);
            }
            answer.put("current", after.current());
            answer.put("reasons", after.reasons());
            answer.put("differences", after.differences());
            return Response.ok(answer).build();
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "bad_request", e.getMessage());
        } catch (RecordStatusService.UnknownRecordException e) {
            return error(Response.Status.NOT_FOUND, "not_found", e.getMessage());
        } catch (RecordResync.ResyncNotPossibleException e) {
            return error(Response.Status.CONFLICT, "cannot_sync", e.getMessage());
        }
    }

    private static Response error(Response.Status status, String error, String message) {
        return ErrorBody.response(status, error, message);
    }
}
