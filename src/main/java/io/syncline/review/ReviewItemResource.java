package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Admin JSON API of the review queue, for users in role {@code admin}: list (filter by entity,
 * system, status, kind, minimum age), show (both values per field, the strategy, the age),
 * resolve (a conflict field by field: take source, take target, or a custom value; a held record
 * with a value per held field; an ambiguous match with the chosen candidate or a new record;
 * written through the normal write path and audited with the resolver), and discard.
 */
@Path("/review-items")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewItemResource {

    private static final Set<String> STATUSES = Set.of("open", "resolved", "discarded", "all");

    private final ReviewQueueAdmin admin;
    private final ReviewResolver resolver;
    private final ReviewItemView view;
    private final ObjectMapper json;

    public ReviewItemResource(ReviewQueueAdmin admin, ReviewResolver resolver, ReviewItemView view, ObjectMapper json) {
        this.admin = admin;
        this.resolver = resolver;
        this.view = view;
        this.json = json;
    }

    /** Oldest first; {@code status} defaults to {@code open} ({@code all} for every status). */
    @GET
    public Response list(@QueryParam("entity") String entity, @QueryParam("system") String system,
                         @QueryParam("status") @DefaultValue("open") String status, @QueryParam("kind") String kind,
                         @QueryParam("minAge") String minAge, @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException {
        if (!STATUSES.contains(status)) {
            return badRequest("status '" + status + "' is unknown; use one of all, discarded, open, resolved");
        }
        if (kind != null && !isKind(kind)) {
            return badRequest("kind '" + kind + "' is unknown; use one of ambiguous_match, conflict, held_record");
        }
        Duration age;
        try {
            age = minAge == null ? null : DurationConverter.parseDuration(minAge);
        } catch (IllegalArgumentException e) {
            return badRequest("minAge '" + minAge + "' is not a duration; write e.g. 30m, 4h, 2d or PT4H");
        }
        return Response.ok(admin.list(new ReviewQueueAdmin.Filter(entity, system, status, kind, age,
                Math.min(Math.max(limit, 1), 1000)))).build();
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") long id) throws SQLException {
        Optional<ReviewItem> item = admin.find(id);
        return item.isEmpty() ? notFound("No review item " + id) : Response.ok(view.of(item.get())).build();
    }

    /**
     * Body, by kind of item: a conflict {@code {"fields": {"city": "source", "phone": "target",
     * "lastName": {"value": "Smith"}}}}; a held record {@code {"fields": {"lastName": {"value": "Hopper"}}}};
     * an ambiguous match {@code {"candidate": "<id in the target>"}} or {@code {"createNew": true}}.
     */
    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resolve(@PathParam("id") long id, Map<String, Object> body, @Context SecurityContext security)
            throws SQLException {
        try {
            return Response.ok(resolver.resolve(id, body, security.getUserPrincipal().getName())).build();
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        } catch (ReviewItemClosedException e) {
            return e.missing() ? notFound(e.getMessage()) : error(Response.Status.CONFLICT, "conflict", e.getMessage());
        } catch (ReviewResolutionFailedException e) {
            Response.Status status = e.reason() == ReviewResolutionFailedException.Reason.WRITE_FAILED
                    ? Response.Status.BAD_GATEWAY : Response.Status.CONFLICT;
            return error(status, e.reason().code(), e.getMessage());
        }
    }

    /** Body optional (any content type, so that a bare POST works): {@code {"reason": "duplicate of item 7"}}. */
    @POST
    @Path("/{id}/discard")
    public Response discard(@PathParam("id") long id, String body, @Context SecurityContext security) throws SQLException {
        String reason;
        try {
            JsonNode given = body == null || body.isBlank() ? null : json.readTree(body);
            reason = given == null || !given.hasNonNull("reason") ? null : given.get("reason").asText();
        } catch (JsonProcessingException e) {
            return badRequest("The body is not JSON; send {\"reason\": \"…\"} or nothing");
        }
        try {
            ReviewItem item = admin.discard(id, security.getUserPrincipal().getName(), reason);
            return Response.ok(Map.of("id", id, "status", item.status(), "discardedBy", item.resolvedBy())).build();
        } catch (ReviewItemClosedException e) {
            return e.missing() ? notFound(e.getMessage()) : error(Response.Status.CONFLICT, "conflict", e.getMessage());
        }
    }

    private static boolean isKind(String kind) {
        for (ReviewQueueRepository.Kind known : ReviewQueueRepository.Kind.values()) {
            if (known.name().equals(kind)) {
                return true;
            }
        }
        return false;
    }

    private static Response badRequest(String message) {
        return error(Response.Status.BAD_REQUEST, "bad_request", message);
    }

    private static Response notFound(String message) {
        return error(Response.Status.NOT_FOUND, "not_found", message);
    }

    private static Response error(Response.Status status, String error, String message) {
        return Response.status(status).entity(Map.of("error", error, "message", message)).build();
    }
}
