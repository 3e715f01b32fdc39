package io.syncline.poll;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.http.ErrorBody;
import io.syncline.model.PollSpec;
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
import java.util.Optional;

/**
 * Admin JSON API of the key diffs that find a polled system's deletions, for users in role
 * {@code admin}: the last run of one, and a person's confirmation that a refused run's deletions
 * are real (the next run then deletes up to that many).
 */
@Path("/polls/{entity}/{system}/deletes")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class KeyDiffResource {

    @Inject
    KeyDiffRepository keyDiffs;
    @Inject
    SyncModelRegistry registry;

    @GET
    public Response last(@PathParam("entity") String entity, @PathParam("system") String system) throws SQLException {
        Optional<Response> unknown = unknown(entity, system);
        if (unknown.isPresent()) {
            return unknown.get();
        }
        return keyDiffs.find(entity, system).map(run -> Response.ok(run).build()).orElseGet(() -> ErrorBody.response(
                Response.Status.NOT_FOUND, "not_found", "The key diff of " + entity + " in " + system + " has not run yet"));
    }

    /** Confirms the last run's deletions, which it refused for their number. */
    @POST
    @Path("/confirmation")
    public Response confirm(@PathParam("entity") String entity, @PathParam("system") String system,
            @Context SecurityContext security) throws SQLException {
        Optional<Response> unknown = unknown(entity, system);
        if (unknown.isPresent()) {
            return unknown.get();
        }
        return keyDiffs.confirm(entity, system, security.getUserPrincipal().getName()).map(run -> Response.ok(run).build())
                .orElseGet(() -> ErrorBody.response(Response.Status.CONFLICT, "not_refused", "The last key diff of " + entity
                        + " in " + system + " refused nothing: there are no deletions to confirm"));
    }

    /** A 404 when the model finds no deletions of the entity in the system by a key diff. */
    private Optional<Response> unknown(String entity, String system) {
        var definition = registry.current().model().entities().get(entity);
        PollSpec poll = definition == null ? null : definition.polls().get(system);
        if (poll == null || poll.deletes() == null) {
            return Optional.of(ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "The model finds no deletions of '"
                    + entity + "' in '" + system + "' by a key diff (entities." + entity + ".polls." + system + ".deletes)"));
        }
        return Optional.empty();
    }
}
