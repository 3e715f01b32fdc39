package io.syncline.audit;

import io.syncline.failure.BadParameterException;
import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.store.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin JSON API of the audit trail, for roles {@code admin} and {@code viewer} (who reads it in
 * the console too): the entries by record, system, time, action and run, newest first, a keyset
 * page at a time; all of them as CSV or JSON lines, streamed; and "why this value", the chain of
 * changes that made one field's value in one system ({@link FieldHistory}).
 */
@Path("/audit")
@RolesAllowed({"admin", "viewer"})
public class AuditTrailResource {

    static final int MAX_LIMIT = 1000;

    @Inject
    AuditTrail trail;
    @Inject
    AuditExport export;
    @Inject
    FieldHistory history;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list(@QueryParam("entity") String entity, @QueryParam("record") String record,
            @QueryParam("system") String system, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("action") List<String> actions,
            @QueryParam("run") String run, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws SQLException {
        AuditFilter filter = filter(entity, record, system, from, to, actions, run);
        Page<AuditRecord> page = trail.page(filter, AdminParams.text(cursor), AdminParams.limit("limit", limit, 100, MAX_LIMIT));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("entries", page.items().stream().map(export::json).toList());
        answer.put("nextCursor", page.nextCursor());
        return answer;
    }

    /**
     * Every entry the filter takes, newest first: CSV with {@code format=csv} or {@code Accept: text/csv},
     * else JSON lines ({@code format=jsonl}, {@code application/x-ndjson}).
     */
    @GET
    @Path("/export")
    @Produces({"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response export(@QueryParam("entity") String entity, @QueryParam("record") String record,
            @QueryParam("system") String system, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("action") List<String> actions, @QueryParam("run") String run,
            @QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        AuditExport.Format chosen = AdminParams.text(format) == null ? AuditExport.Format.accepted(accept)
                : AuditExport.Format.named(format).orElseThrow(() -> new BadParameterException("format",
                        "format '" + format + "' is unknown; use csv or jsonl"));
        AuditFilter filter = filter(entity, record, system, from, to, actions, run);
        StreamingOutput body = out -> {
            try {
                export.write(filter, chosen, out);
            } catch (SQLException e) {
                throw new IOException("The audit export failed", e);
            }
        };
        return Response.ok(body, chosen.mediaType())
                .header("Content-Disposition", "attachment; filename=\"audit." + chosen.extension() + "\"")
                .header("Cache-Control", "no-store").build();
    }

    /**
     * Why {@code field} of the record {@code record} names (with {@code by}, its id in that system)
     * holds its value in {@code system}: the chain of changes, oldest first.
     */
    @GET
    @Path("/why")
    @Produces(MediaType.APPLICATION_JSON)
    public Response why(@QueryParam("entity") String entity, @QueryParam("record") String record, @QueryParam("by") String by,
            @QueryParam("system") String system, @QueryParam("field") String field) throws SQLException {
        try {
            return Response.ok(history.chain(AdminParams.text(entity), AdminParams.text(record), AdminParams.text(by),
                    AdminParams.text(system), AdminParams.text(field))).build();
        } catch (FieldHistory.NotFoundException e) {
            return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", e.getMessage());
        }
    }

    private AuditFilter filter(String entity, String record, String system, String from, String to, List<String> actions,
            String run) {
        return trail.filter(AdminParams.text(entity), AdminParams.text(record), AdminParams.text(system),
                AdminParams.instant("from", from), AdminParams.instant("to", to), actions, AdminParams.text(run));
    }
}
