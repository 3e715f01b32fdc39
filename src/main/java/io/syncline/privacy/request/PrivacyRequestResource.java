package io.syncline.privacy.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.BadParameterException;
import io.syncline.http.AdminParams;
import io.syncline.http.ErrorBody;
import io.syncline.privacy.access.SubjectAccessExport;
import io.syncline.privacy.subject.Subject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin JSON API of privacy requests, for role {@code admin} (docs/reference/admin-api.md):
 * create an erasure (answered with its plan) or a subject access, confirm or cancel an erasure,
 * retry a failed one, export a subject access, and lift an erasure's tombstones on re-consent.
 */
@Path("/privacy-requests")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyRequestResource {

    @Inject
    PrivacyRequests requests;
    @Inject
    SubjectAccessExport exports;
    @Inject
    ObjectMapper json;

    /**
     * Body: {@code {"kind": "erasure"|"access", "entity": "contact", "system": "crm", "id": "c-1001"}}
     * or {@code {"kind": …, "entity": "contact", "field": "email", "value": "ada@example.com"}}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context SecurityContext security) throws Exception {
        JsonNode given = read(body, "{\"kind\": \"erasure\", \"entity\": \"contact\", \"system\": \"crm\", \"id\": \"…\"}");
        String kind = text(given, "kind");
        if (!PrivacyRequest.ERASURE.equals(kind) && !PrivacyRequest.ACCESS.equals(kind)) {
            return badRequest("kind must be erasure or access; got " + (kind == null ? "nothing" : "'" + kind + "'"));
        }
        Subject subject = subject(given);
        try {
            return Response.status(Response.Status.CREATED).entity(requests.create(kind, subject, user(security))).build();
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
    }

    /** Newest first. */
    @GET
    public List<PrivacyRequest> list(@QueryParam("limit") String limit) throws Exception {
        return requests.list(AdminParams.limit("limit", limit, 100, 500));
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") long id) throws Exception {
        Optional<PrivacyRequest> request = requests.find(id);
        return request.isEmpty() ? notFound(id) : Response.ok(request.get()).build();
    }

    /** Carries out a planned erasure. */
    @POST
    @Path("/{id}/confirm")
    public Response confirm(@PathParam("id") long id, @Context SecurityContext security) throws Exception {
        return moved(id, () -> requests.confirm(id, user(security)), "only a planned erasure can be confirmed");
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") long id) throws Exception {
        return moved(id, () -> requests.cancel(id) ? Optional.of(requests.find(id).orElseThrow()) : Optional.empty(),
                "only a planned request can be cancelled");
    }

    /** Tries the failed parts of a failed erasure again. */
    @POST
    @Path("/{id}/retry")
    public Response retry(@PathParam("id") long id, @Context SecurityContext security) throws Exception {
        return moved(id, () -> requests.retry(id, user(security)) ? Optional.of(requests.find(id).orElseThrow())
                : Optional.empty(), "only a failed erasure can be retried");
    }

    /** A subject access's export: everything held about the person, read now. */
    @GET
    @Path("/{id}/export")
    public Response export(@PathParam("id") long id) throws Exception {
        Optional<PrivacyRequest> found = requests.find(id);
        if (found.isEmpty()) {
            return notFound(id);
        }
        if (!PrivacyRequest.ACCESS.equals(found.get().kind())) {
            return conflict("Privacy request " + id + " is an erasure; exports are made for access requests");
        }
        return Response.ok(exports.export(found.get())).build();
    }

    /**
     * The person consents again: the tombstones of every erasure their identifier matches are
     * lifted. Body as for a request, without {@code kind}.
     */
    @POST
    @Path("/reconsent")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reconsent(String body, @Context SecurityContext security) throws Exception {
        Subject subject = subject(read(body, "{\"entity\": \"contact\", \"system\": \"crm\", \"id\": \"…\"}"));
        List<Long> lifted = requests.reconsent(subject, user(security));
        return lifted.isEmpty()
                ? ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No erasure's tombstone matches that person")
                : Response.ok(Map.of("liftedRequests", lifted)).build();
    }

    /** A step of a request's life: the request after it, or empty where its status does not allow it. */
    @FunctionalInterface
    private interface Step {

        Optional<PrivacyRequest> take() throws Exception;
    }

    /** Request {@code id} after {@code step}: 404 when there is none, 409 saying what {@code allowed} when its status refuses. */
    private Response moved(long id, Step step, String allowed) throws Exception {
        Optional<PrivacyRequest> found = requests.find(id);
        if (found.isEmpty()) {
            return notFound(id);
        }
        Optional<PrivacyRequest> after = step.take();
        return after.isPresent() ? Response.ok(after.get()).build()
                : conflict("Privacy request " + id + " is " + describe(found.get()) + "; " + allowed);
    }

    /**
     * The body as a JSON object.
     *
     * @param expected the object to send, for the answer to a body that is none
     * @throws BadParameterException the body is no JSON object: 400 {@code bad_request}
     */
    private JsonNode read(String body, String expected) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new BadParameterException(null, "The body is not a JSON object; send " + expected
                    + " or name the person by \"field\" and \"value\"");
        }
        return node;
    }

    /**
     * The person the body names.
     *
     * @throws BadParameterException it names none, or names them in two ways: 400 {@code bad_request}
     */
    private static Subject subject(JsonNode given) {
        Subject subject = new Subject(text(given, "entity"), text(given, "system"), text(given, "id"), text(given, "field"),
                text(given, "value"));
        if (subject.problem() != null) {
            throw new BadParameterException(null, subject.problem());
        }
        return subject;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) && node.get(field).isValueNode() ? node.get(field).asText() : null;
    }

    private static String describe(PrivacyRequest request) {
        return (PrivacyRequest.ERASURE.equals(request.kind()) ? "an erasure, " : "an access request, ") + request.status();
    }

    private static String user(SecurityContext security) {
        return security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
    }

    private static Response badRequest(String message) {
        return ErrorBody.response(Response.Status.BAD_REQUEST, "bad_request", message);
    }

    private static Response conflict(String message) {
        return ErrorBody.response(Response.Status.CONFLICT, "conflict", message);
    }

    private static Response notFound(long id) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No privacy request " + id);
    }
}
