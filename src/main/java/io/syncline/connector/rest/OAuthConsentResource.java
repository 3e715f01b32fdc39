package io.syncline.connector.rest;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.http.ErrorBody;
import io.syncline.model.SystemDefinition;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's consent for REST systems with {@code auth.type: oauth2-authorization-code}, for
 * users in role {@code admin}: {@code GET …/oauth/authorize} sends the browser to the provider's
 * consent page with a new {@code state}; the provider sends it back to {@code …/oauth/callback} with
 * a code, exchanged for the grant kept in the state store. {@code PUT …/oauth/refresh-token} stores
 * a refresh token obtained elsewhere (a provider's playground). {@code GET …/oauth} says whether the
 * system needs consent.
 */
@Path("/systems/{system}/oauth")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthConsentResource {

    private final SyncModelRegistry registry;
    private final AuthorizationCodeTokens grants;

    public OAuthConsentResource(SyncModelRegistry registry, RestConnections connections) {
        this.registry = registry;
        this.grants = connections.grants();
    }

    /** A refresh token given by the operator. */
    public record RefreshToken(String refreshToken) {

        @Override
        public String toString() {
            return "RefreshToken[hidden]";
        }
    }

    @GET
    public Response status(@PathParam("system") String system) {
        RestSettings.Auth auth = auth(system);
        if (auth == null) {
            return notFound(system);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("system", system);
        String needed = grants.consentNeeded(system).orElse(null);
        body.put("connected", needed == null);
        body.put("consentNeeded", needed);
        return Response.ok(body).build();
    }

    @GET
    @Path("/authorize")
    public Response authorize(@PathParam("system") String system, @Context UriInfo uri) throws SQLException {
        RestSettings.Auth auth = auth(system);
        if (auth == null) {
            return notFound(system);
        }
        if (auth.authorizationUrl() == null) {
            return ErrorBody.response(409, "no_authorization_url", system + " has no auth.authorizationUrl: add the provider's"
                    + " consent page to the model, or store a refresh token with PUT /admin/systems/" + system
                    + "/oauth/refresh-token", null);
        }
        return Response.seeOther(grants.authorizationUri(system, auth, redirectUri(system, auth, uri))).build();
    }

    @GET
    @Path("/callback")
    public Response callback(@PathParam("system") String system, @QueryParam("code") String code,
            @QueryParam("state") String state, @QueryParam("error") String error,
            @Context UriInfo uri) throws SQLException {
        RestSettings.Auth auth = auth(system);
        if (auth == null) {
            return notFound(system);
        }
        if (error != null) {
            return ErrorBody.response(400, "consent_refused", "The provider answered the consent with error '" + error
                    + "': start again at /admin/systems/" + system + "/oauth/authorize", "error");
        }
        try {
            if (!grants.completeConsent(system, auth, state, code, redirectUri(system, auth, uri))) {
                return ErrorBody.response(400, "invalid_state", "The callback's state is not that of a consent under way"
                        + " (unknown, used already, or older than " + AuthorizationCodeTokens.CONSENT_VALIDITY.toMinutes()
                        + " minutes): start again at /admin/systems/" + system + "/oauth/authorize", "state");
            }
        } catch (TargetRejectedException e) {
            return ErrorBody.response(400, "code_refused", e.getMessage(), "code");
        } catch (TargetUnavailableException e) {
            return ErrorBody.response(503, "provider_unavailable", e.getMessage(), null);
        }
        return status(system);
    }

    @PUT
    @Path("/refresh-token")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response refreshToken(@PathParam("system") String system, RefreshToken body) throws SQLException {
        RestSettings.Auth auth = auth(system);
        if (auth == null) {
            return notFound(system);
        }
        if (body == null || body.refreshToken() == null || body.refreshToken().isBlank()) {
            return ErrorBody.response(400, "bad_request", "The body needs the refresh token: {\"refreshToken\": \"…\"}",
                    "refreshToken");
        }
        grants.store(system, body.refreshToken().strip(), null, null);
        return status(system);
    }

    /** The system's auth when it is a REST system with the authorization-code grant; else null. */
    private RestSettings.Auth auth(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        RestSettings.Auth auth = RestSettings.isOf(definition) ? RestSettings.of(definition).auth() : null;
        return auth != null && auth.type() == RestSettings.AuthType.OAUTH2_AUTHORIZATION_CODE ? auth : null;
    }

    private static URI redirectUri(String system, RestSettings.Auth auth, UriInfo uri) {
        if (auth.redirectUri() != null) {
            return URI.create(auth.redirectUri());
        }
        return uri.getBaseUriBuilder().path("systems").path(system).path("oauth").path("callback").build();
    }

    private static Response notFound(String system) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "not_found", "No REST system '" + system
                + "' with auth type oauth2-authorization-code in the model");
    }
}
