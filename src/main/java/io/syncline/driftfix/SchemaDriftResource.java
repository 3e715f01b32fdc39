package io.syncline.driftfix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.drift.FieldDrift;
import io.syncline.failure.BadParameterException;
import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin JSON API of the schema drifts (docs/reference/admin-api.md#schema-drifts): list and show
 * them (admin and viewer), accept a rename or resume a paused mapping (admin), kept with the user's name.
 */
@Path("/schema-drifts")
@Produces(MediaType.APPLICATION_JSON)
public class SchemaDriftResource {

    @Inject
    SchemaDriftAdmin admin;
    @Inject
    ObjectMapper json;

    /** Every drift, the paused first, each with its waiting events and, while paused, the proposed rename. */
    @GET
    @RolesAllowed({"admin", "viewer"})
    public List<Map<String, Object>> list() throws SQLException {
        return admin.list().stream().map(SchemaDriftResource::answer).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "viewer"})
    public Response show(@PathParam("id") long id) throws SQLException {
        return found(id, admin.find(id));
    }

    /**
     * Accepts the rename of the vanished field and resumes the mapping. Body optional (any content
     * type, so that a bare POST works): {@code {"renameTo": "mobile"}}; without it, the proposed rename.
     */
    @POST
    @Path("/{id}/accept")
    @RolesAllowed("admin")
    public Response accept(@PathParam("id") long id, String body, @Context SecurityContext security) throws SQLException {
        String renameTo = renameTo(body);
        try {
            return found(id, admin.accept(id, renameTo, security.getUserPrincipal().getName()));
        } catch (SchemaDriftAdmin.DriftConflictException e) {
            return ErrorBody.response(Response.Status.CONFLICT, "conflict", e.getMessage());
        }
    }

    /** Resumes the mapping as the model now reads it; the waiting events are applied. */
    @POST
    @Path("/{id}/resume")
    @RolesAllowed("admin")
    public Response resume(@PathParam("id") long id, @Context SecurityContext security) throws SQLException {
        try {
            return found(id, admin.resume(id, security.getUserPrincipal().getName()));
        } catch (SchemaDriftAdmin.DriftConflictException e) {
            return ErrorBody.response(Response.Status.CONFLICT, "conflict", e.getMessage());
        }
    }

    private String renameTo(String body) {
        JsonNode given;
        try {
            given = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadParameterException(null, "The body is not JSON; send {\"renameTo\": \"…\"} or nothing");
        }
        if (given == null || !given.hasNonNull("renameTo")) {
            return null;
        }
        String path = given.get("renameTo").asText().strip();
        if (!given.get("renameTo").isTextual() || path.isEmpty() || path.indexOf(0) >= 0) {
            throw new BadParameterException("renameTo", "renameTo is the path of the field in the source's payloads, e.g. mobile");
        }
        return path;
    }

    private static Response found(long id, Optional<SchemaDriftAdmin.DriftView> view) {
        return view.map(found -> Response.ok(answer(found)).build())
                .orElseGet(() -> ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No schema drift " + id));
    }

    static Map<String, Object> answer(SchemaDriftAdmin.DriftView view) {
        FieldDrift drift = view.drift();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", drift.id());
        answer.put("entity", drift.entity());
        answer.put("system", drift.system());
        answer.put("field", drift.field());
        answer.put("path", drift.path());
        answer.put("change", drift.change());
        answer.put("wasType", drift.wasType());
        answer.put("nowType", drift.nowType());
        answer.put("status", drift.status());
        answer.put("detectedAt", drift.detectedAt());
        answer.put("waiting", view.waiting());
        answer.put("proposal", view.proposal());
        answer.put("renamedTo", drift.renamedTo());
        answer.put("resolvedBy", drift.resolvedBy());
        answer.put("resolvedAt", drift.resolvedAt());
        return answer;
    }
}
