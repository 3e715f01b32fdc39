package io.syncline.connector.rest;

import io.syncline.connector.google.ServiceAccounts;
import io.syncline.model.Environment;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * What every request to a REST system carries, for writes, fetches and pulls alike: the system's
 * fixed or templated {@code headers} (a tenant id) and its {@code auth}: a bearer token, an API key
 * in a header or a query parameter, HTTP Basic, an OAuth 2.0 access token (client credentials, a
 * long-lived refresh token, or the authorization-code grant whose tokens the state store keeps), or a
 * Google service account's ({@link ServiceAccounts}: its JSON key from the environment, its {@code scope}
 * and {@code subject}).
 */
public final class RestAuthenticator {

    private final Environment environment;
    private final OAuth2TokenProvider clientCredentials;
    private final AuthorizationCodeTokens authorizationCode;
    private final ServiceAccounts serviceAccounts = new ServiceAccounts();

    /**
     * @param authorizationCode the authorization-code grants, or null where there is no state store (then
     *                          such a system cannot be reached)
     */
    public RestAuthenticator(Environment environment, OAuth2TokenProvider clientCredentials, AuthorizationCodeTokens authorizationCode) {
        this.environment = environment;
        this.clientCredentials = clientCredentials;
        this.authorizationCode = authorizationCode;
    }

    /**
     * The address to send to: {@code uri} with the API key as a query parameter when the system's key
     * goes there. Only for the request itself: it holds a secret, so messages name {@code uri}.
     */
    public URI address(RestSettings system, URI uri) {
        RestSettings.Auth auth = system.auth();
        if (auth == null || auth.type() != RestSettings.AuthType.API_KEY || auth.in() != RestSettings.KeyPlacement.QUERY) {
            return uri;
        }
        String pair = form(auth.param()) + "=" + form(auth.key().resolve(environment));
        String query = uri.getRawQuery();
        String text = uri.toString();
        int fragment = text.indexOf('#');
        String head = fragment < 0 ? text : text.substring(0, fragment);
        return URI.create(head + (query == null ? "?" : query.isEmpty() ? "" : "&") + pair + (fragment < 0 ? "" : text.substring(fragment)));
    }

    /**
     * Adds the system's headers and its auth to {@code request}.
     *
     * @return the OAuth 2.0 access token sent, for {@link #invalidate} when the API refuses it; else null
     */
    public String authenticate(String system, RestSettings definition, HttpRequest.Builder request) {
        // set, not added: a system's own Accept or Content-Type (JSON:API's application/vnd.api+json) replaces the default
        definition.resolvedHeaders(environment).forEach(request::setHeader);
        RestSettings.Auth auth = definition.auth();
        if (auth == null || auth.type() == null) {
            return null;
        }
        switch (auth.type()) {
            case NONE -> {
                return null;
            }
            case BEARER -> request.header("Authorization", "Bearer " + auth.token().resolve(environment));
            case API_KEY -> {
                if (auth.in() != RestSettings.KeyPlacement.QUERY) {
                    String key = auth.key().resolve(environment);
                    request.header(auth.header(), auth.scheme() == null ? key : auth.scheme() + " " + key);
                }
            }
            case BASIC -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.username().resolve(environment) + ":" + (auth.password() == null ? "" : auth.password().resolve(environment)))
                            .getBytes(StandardCharsets.UTF_8)));
            case OAUTH2_CLIENT_CREDENTIALS, OAUTH2_REFRESH_TOKEN -> {
                String token = clientCredentials.token(system, auth);
                accessToken(request, auth, token);
                return token;
            }
            case OAUTH2_AUTHORIZATION_CODE -> {
                if (authorizationCode == null) {
                    throw new IllegalStateException(system + " uses oauth2-authorization-code, which needs the state store");
                }
                String token = authorizationCode.token(system, auth);
                accessToken(request, auth, token);
                return token;
            }
            case GOOGLE_SERVICE_ACCOUNT -> {
                String token = serviceAccounts.token(system, auth.key().resolve(environment), scopes(auth), auth.subject());
                request.header("Authorization", "Bearer " + token);
                return token;
            }
        }
        return null;
    }

    /**
     * An OAuth 2.0 access token as the API takes it: {@code Authorization: Bearer <token>}, or in the header
     * the auth names, alone or after its {@code scheme} (Amazon's {@code x-amz-access-token: <token>}).
     */
    private static void accessToken(HttpRequest.Builder request, RestSettings.Auth auth, String token) {
        if (auth.header() == null) {
            request.header("Authorization", "Bearer " + token);
        } else {
            request.header(auth.header(), auth.scheme() == null ? token : auth.scheme() + " " + token);
        }
    }

    /** The API refused the OAuth 2.0 access token {@code rejected} (401): the next request gets a new one. */
    public void invalidate(String system, RestSettings.Auth auth, String rejected) {
        if (rejected == null || auth == null) {
            return;
        }
        if (auth.type() == RestSettings.AuthType.OAUTH2_CLIENT_CREDENTIALS || auth.type() == RestSettings.AuthType.OAUTH2_REFRESH_TOKEN) {
            clientCredentials.invalidate(auth, rejected);
        } else if (auth.type() == RestSettings.AuthType.OAUTH2_AUTHORIZATION_CODE && authorizationCode != null) {
            authorizationCode.invalidate(system, rejected);
        } else if (auth.type() == RestSettings.AuthType.GOOGLE_SERVICE_ACCOUNT) {
            serviceAccounts.invalidate(auth.key().resolve(environment), scopes(auth), auth.subject(), rejected);
        }
    }

    /** A service account's scopes: the {@code scope} setting's, separated by spaces. */
    private static List<String> scopes(RestSettings.Auth auth) {
        return auth.scope() == null ? List.of() : List.of(auth.scope().strip().split("\\s+"));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
