package io.syncline.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import io.syncline.failure.BadParameterException;
import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.http.ReasonBody;
import io.syncline.webhook.JsonPayloadParser;
import io.syncline.webhook.WebhookRejection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
    private static final Set<String> KINDS = Arrays.stream(ReviewQueueRepository.Kind.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());
    /** The longest {@code minAge}: a hundred years. */
    private static final Duration MAX_AGE = Duration.ofDays(36_500);

    @Inject
    ReviewQueueRepository queue;
    @Inject
    ReviewResolver resolver;
    @Inject
    ReviewItemView view;
    @Inject
    ObjectMapper json;
    @Inject
    JsonPayloadParser payloads;

    /** Oldest first; {@code status} defaults to {@code open} ({@code all} for every status). */
    @GET
    public Response list(@QueryParam("entity") String entity, @QueryParam("system") String system,
            @QueryParam("status") @DefaultValue("open") String status, @QueryParam("kind") String kind,
            @QueryParam("minAge") String minAge, @QueryParam("limit") String limit)
            throws SQLException {
        AdminParams.oneOf("status", status, STATUSES);
        AdminParams.oneOf("kind", kind, KINDS);
        return Response.ok(queue.list(new ReviewQueueRepository.Filter(entity, system, status, kind, minAge(minAge),
                AdminParams.limit("limit", limit, 100, 1000)))).build();
    }

    /** A duration of at most {@link #MAX_AGE}: a longer one reaches before any timestamp the store holds. */
    private static Duration minAge(String minAge) {
        if (minAge == null) {
            return null;
        }
        Duration age;
        try {
            age = DurationConverter.parseDuration(minAge);
        } catch (RuntimeException e) {
            throw new BadParameterException("minAge", "minAge '" + minAge
                    + "' is not a duration; write e.g. 30m, 4h, 2d or PT4H");
        }
        if (age == null || age.isNegative() || age.compareTo(MAX_AGE) > 0) {
            throw new BadParameterException("minAge", "minAge must be between 0 and " + MAX_AGE.toDays()
                    + " days; got '" + minAge + "'");
        }
        return age;
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") long id) throws SQLException {
        Optional<ReviewItem> item = queue.find(id);
        return item.isEmpty() ? notFound("No review item " + id) : Response.ok(view.of(item.get())).build();
    }

    /**
     * Body, by kind of item: a conflict {@code {"fields": {"city": "source", "phone": "target",
     * "lastName": {"value": "Smith"}}}}; a held record {@code {"fields": {"lastName": {"value": "Hopper"}}}};
     * an ambiguous match {@code {"candidate": "<id in the target>"}} or {@code {"createNew": true}}; a change a
     * rule held {@code {"approve": true}}.
     */
    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resolve(@PathParam("id") long id, String text, @Context SecurityContext security)
            throws SQLException {
        Map<String, Object> body;
        try {
            // Read as a webhook body is: one JSON object in UTF-8, every value within the same limits.
            body = payloads.parse(text == null ? "" : text);
        } catch (WebhookRejection e) {
            return ErrorBody.response(e);
        }
        try {
            return Response.ok(resolver.resolve(id, body, security.getUserPrincipal().getName())).build();
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        } catch (ReviewItemClosedException e) {
            return ErrorBody.response(e);
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
        String reason = ReasonBody.reason(json, body);
        try {
            ReviewItem item = queue.discard(id, security.getUserPrincipal().getName(), reason);
            return Response.ok(Map.of("id", id, "status", item.status(), "discardedBy", item.resolvedBy())).build();
        } catch (ReviewItemClosedException e) {
            return ErrorBody.response(e);
        }
    }

    private static Response badRequest(String message) {
        return error(Response.Status.BAD_REQUEST, "bad_request", message);
    }

    private static Response notFound(String message) {
        return error(Response.Status.NOT_FOUND, "not_found", message);
    }

    private static Response error(Response.Status status, String error, String message) {
        return ErrorBody.response(status, error, message);
    }
}
