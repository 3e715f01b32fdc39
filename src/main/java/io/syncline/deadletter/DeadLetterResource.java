package io.syncline.deadletter;

import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admin JSON API for the dead-letter table, for users in role {@code admin}:
 * list, show, replay (one or a filtered batch) and discard.
 */
@Path("/dead-letters")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    /** The statuses a dead letter can have. */
    static final Set<String> STATUSES = Set.of("new", "replayed", "discarded");

    private final DeadLetterAdmin admin;

    public DeadLetterResource(DeadLetterAdmin admin) {
        this.admin = admin;
    }

    /** {@code status} is one of {@link #STATUSES} (400 otherwise), {@code limit} 1 to 1,000. */
    @GET
    public List<DeadLetter> list(@QueryParam("status") String status, @QueryParam("route") String route,
                                 @QueryParam("limit") String limit) throws SQLException {
        return admin.list(AdminParams.oneOf("status", status, STATUSES), route,
                AdminParams.limit("limit", limit, 100, 1000));
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") long id) throws SQLException {
        return admin.find(id).map(letter -> Response.ok(letter).build()).orElseGet(() -> notFound(id));
    }

    @POST
    @Path("/{id}/replay")
    public Response replay(@PathParam("id") long id) throws SQLException {
        try {
            return admin.replay(id).map(result -> Response.ok(result).build()).orElseGet(() -> notFound(id));
        } catch (DeadLetterConflictException e) {
            return conflict(e);
        }
    }

    /** Replays every dead letter still {@code new} (of one route, when given), up to {@code limit}. */
    @POST
    @Path("/replay")
    public List<Object> replayBatch(@QueryParam("route") String route, @QueryParam("limit") String limit)
            throws SQLException {
        List<Object> results = new ArrayList<>();
        for (DeadLetter letter : admin.list("new", route, AdminParams.limit("limit", limit, 100, 1000))) {
            try {
                admin.replay(letter.id()).ifPresent(results::add);
            } catch (DeadLetterConflictException e) {
                results.add(Map.of("deadLetterId", letter.id(), "error", e.getMessage()));
            }
        }
        return results;
    }

    @POST
    @Path("/{id}/discard")
    public Response discard(@PathParam("id") long id) throws SQLException {
        try {
            return admin.discard(id) ? Response.ok(Map.of("deadLetterId", id, "status", "discarded")).build() : notFound(id);
        } catch (DeadLetterConflictException e) {
            return conflict(e);
        }
    }

    private static Response notFound(long id) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No dead letter " + id);
    }

    private static Response conflict(DeadLetterConflictException e) {
        return ErrorBody.response(Response.Status.CONFLICT, "conflict", e.getMessage());
    }
}
