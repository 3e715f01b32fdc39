package io.syncline.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.http.ErrorBody;
import io.syncline.model.SyncModel;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Admin JSON API of the handshakes through which senders hand over their webhook secrets
 * ({@link SystemWebhook.Handshake}), for users in role {@code admin}: one awaited at a system's
 * webhook path, for the time it takes to create the webhook at the sender, and the system's
 * handshakes as they stand (never a secret); the secret itself only where the sender asks for it to
 * be pasted back in its own settings (Notion's verification token).
 */
@Path("/webhooks/{system}/handshakes")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookHandshakeResource {

    @Inject
    SyncModelRegistry registry;
    @Inject
    SystemWebhooks webhooks;
    @Inject
    WebhookSecrets secrets;
    @Inject
    SynclineConfig config;
    @Inject
    ObjectMapper json;

    /**
     * Awaits a handshake at {@code {"path": …}}, which may be left out where the system has one
     * webhook path: 201 with the path and until when.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response open(@PathParam("system") String system, String body) throws SQLException {
        Response refused = refusedSystem(system);
        if (refused != null) {
            return refused;
        }
        JsonNode asked;
        try {
            asked = body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            return ErrorBody.response(400, "malformed_json", "The body is not JSON: {\"path\": \"/webhooks/…\"}, or none", null);
        }
        String path = asked.hasNonNull("path") ? asked.get("path").asText() : null;
        Response unknown = unknownPath(system, path);
        if (unknown != null) {
            return unknown;
        }
        path = path != null ? path : paths(registry.current().model(), system).get(0);
        try {
            return Response.status(201).entity(secrets.open(system, path, config.webhook().handshakeWindow())).build();
        } catch (IllegalArgumentException noKey) {
            return ErrorBody.response(409, "token_key_missing", noKey.getMessage(), null);
        }
    }

    @GET
    public Response handshakes(@PathParam("system") String system) throws SQLException {
        Response refused = refusedSystem(system);
        return refused != null ? refused : Response.ok(Map.of("system", system, "handshakes", secrets.handshakes(system))).build();
    }

    /**
     * The secret the handshake at {@code ?path=} handed over (left out where the system has one webhook
     * path), for a sender whose settings ask for it (its handshake's {@code reveal}): 404 before one.
     */
    @GET
    @Path("/secret")
    public Response secret(@PathParam("system") String system, @QueryParam("path") String path) throws SQLException {
        Response refused = refusedSystem(system);
        if (refused == null && !webhooks.webhook(system).orElseThrow().handshake().reveal()) {
            refused = ErrorBody.response(409, "not_revealed", system + "'s sender never asks for its webhook secret back,"
                    + " so Syncline does not show it", null);
        }
        Response unknown = refused != null ? refused : unknownPath(system, path);
        if (unknown != null) {
            return unknown;
        }
        String at = path != null ? path : paths(registry.current().model(), system).get(0);
        return secrets.secret(system, at).map(secret -> Response.ok(Map.of("path", at, "secret", secret)).build())
                .orElseGet(() -> ErrorBody.response(404, "no_handshake_taken", "No handshake has been taken at " + at
                        + " yet: await one (POST /admin/webhooks/" + system + "/handshakes), then make the webhook at the sender", null));
    }

    /** 400 naming the system's webhook paths, unless {@code path} is one of them or is left out where there is one. */
    private Response unknownPath(String system, String path) {
        List<String> paths = paths(registry.current().model(), system);
        if (path == null ? paths.size() == 1 : paths.contains(path)) {
            return null;
        }
        return ErrorBody.response(400, "unknown_webhook_path", (path == null ? "Name the webhook path" : path + " is not a"
                + " webhook path of " + system) + ": " + String.join(", ", paths), "path");
    }

    /** 404 for a system the model has not; 409 for one that takes no handshake (its secret set in the model, or none). */
    private Response refusedSystem(String system) {
        if (!registry.current().model().systems().containsKey(system)) {
            return ErrorBody.response(404, "unknown_system", "The model has no system " + system, null);
        }
        SystemWebhook.Handshake handshake = webhooks.webhook(system).map(SystemWebhook::handshake).orElse(null);
        if (handshake == null || handshake.signedWith() == null) {
            return ErrorBody.response(409, "no_handshake", handshake == null ? system + "'s webhooks have no handshake"
                    : system + "'s webhook secret is set in the model; remove webhook.secret to take it from a handshake", null);
        }
        return null;
    }

    private static List<String> paths(SyncModel model, String system) {
        return model.entities().values().stream().map(entity -> entity.webhooks().get(system)).filter(Objects::nonNull)
                .distinct().sorted().toList();
    }
}
