package io.syncline.connector.rest;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.SystemStatesCheck;
import io.syncline.model.SystemDefinition;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether each REST system with {@code auth.type: oauth2-authorization-code} has a usable grant
 * ({@code connected}) or needs an operator's consent ({@code consent needed: …}, with the reason:
 * no refresh token yet, or the provider answered {@code invalid_grant}), read from the state store
 * every 10 s. Always UP: restarting the replica would not bring consent.
 */
@Readiness
@Singleton
public class OAuthGrantsHealthCheck extends SystemStatesCheck {

    static final String NAME = "syncline-oauth-grants";
    private static final long PROBE_SECONDS = 10;

    private final AuthorizationCodeTokens grants;

    public OAuthGrantsHealthCheck(SyncModelRegistry registry, RestConnections connections) {
        super(NAME, registry, PROBE_SECONDS);
        this.grants = connections.grants();
    }

    @Override
    protected String probe(String name, SystemDefinition system) {
        RestSettings.Auth auth = RestSettings.isOf(system) ? RestSettings.of(system).auth() : null;
        if (auth != null && auth.type() == RestSettings.AuthType.OAUTH2_AUTHORIZATION_CODE) {
            return grants.consentNeeded(name).map(reason -> "consent needed: " + reason).orElse("connected");
        }
        return null;
    }
}
