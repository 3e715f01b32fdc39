package io.syncline.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.deadletter.DeadLetter;
import io.syncline.deadletter.DeadLetterConflictException;
import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.http.ReasonBody;
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

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Admin JSON API for the dead-letter table, for users in role {@code admin}:
 * list, show, replay (one or a filtered batch) and discard (with a reason), each kept with the user's name.
 */
@Path("/dead-letters")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    /** The statuses a list may ask for: a dead letter's, or {@value DeadLetter#ALL}. */
    static final Set<String> STATUSES = Stream.concat(DeadLetter.STATUSES.stream(), Stream.of(DeadLetter.ALL))
            .collect(Collectors.toUnmodifiableSet());

    @Inject
    DeadLetterAdmin admin;
    @Inject
    ObjectMapper json;

    /**
     * {@code status} is one of {@link #STATUSES} (400 otherwise; absent or {@code all}: every
     * status, as the console's filter offers it), {@code limit} 1 to 1,000.
     */
    @GET
    public List<DeadLetter> list(@QueryParam("status") String status, @QueryParam("route") String route,
            @QueryParam("limit") String limit) throws SQLException {
        return admin.list(DeadLetter.filterOf(AdminParams.oneOf("status", status, STATUSES)), route,
                AdminParams.limit("limit", limit, 100, 1000));
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") long id) throws SQLException {
        return admin.find(id).map(letter -> Response.ok(letter).build()).orElseGet(() -> notFound(id));
    }

    @POST
    @Path("/{id}/replay")
    public Response replay(@PathParam("id") long id, @Context SecurityContext security) throws SQLException {
        try {
            return admin.replay(id, user(security)).map(result -> Response.ok(result).build()).orElseGet(() -> notFound(id));
        } catch (DeadLetterConflictException e) {
            return conflict(e);
        }
    }

    /** Replays every dead letter still {@code new} (of one route, when given), up to {@code limit}. */
    @POST
    @Path("/replay")
    public List<Object> replayBatch(@QueryParam("route") String route, @QueryParam("limit") String limit,
            @Context SecurityContext security) throws SQLException {
        List<Object> results = new ArrayList<>();
        for (DeadLetter letter : admin.list("new", route, AdminParams.limit("limit", limit, 100, 1000))) {
            try {
                admin.replay(letter.id(), user(security)).ifPresent(results::add);
            } catch (DeadLetterConflictException e) {
                results.add(Map.of("deadLetterId", letter.id(), "error", e.getMessage()));
            }
        }
        return results;
    }

    /** Body optional (any content type, so that a bare POST works): {@code {"reason": "test data"}}. */
    @POST
    @Path("/{id}/discard")
    public Response discard(@PathParam("id") long id, String body, @Context SecurityContext security) throws SQLException {
        String reason = ReasonBody.reason(json, body);
        if (reason != null && reason.indexOf(0) >= 0) {
            return ErrorBody.response(400, "invalid_text", "The reason holds U+0000 (NUL), which PostgreSQL cannot take", "reason");
        }
        try {
            return admin.discard(id, user(security), reason) ? Response.ok(Map.of("deadLetterId", id, "status", "discarded")).build() : notFound(id);
        } catch (DeadLetterConflictException e) {
            return conflict(e);
        }
    }

    private static String user(SecurityContext security) {
        return security.getUserPrincipal().getName();
    }

    private static Response notFound(long id) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No dead letter " + id);
    }

    private static Response conflict(DeadLetterConflictException e) {
        return ErrorBody.response(Response.Status.CONFLICT, "conflict", e.getMessage());
    }
}
