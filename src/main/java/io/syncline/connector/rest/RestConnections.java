package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.Environment;
import io.syncline.store.TokenCipher;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.http.HttpClient;
import java.time.Clock;

/**
 * What all requests of this application to REST systems share with each other and, through the
 * state store, with the other replicas: the OAuth 2.0 grants ({@link AuthorizationCodeTokens}), the
 * headers and auth ({@link RestAuthenticator}) and the rate limits ({@link SharedRateLimiter}).
 */
@ApplicationScoped
public class RestConnections {

    private final AuthorizationCodeTokens grants;
    private final RestAuthenticator authenticator;
    private final SharedRateLimiter limiter;
    private final SynclineConfig config;
    private final ObjectMapper json;

    public RestConnections(AgroalDataSource store, SynclineConfig config, ObjectMapper json, SharedRateLimiter limiter) {
        this.config = config;
        this.json = json;
        Environment environment = new ConfigEnvironment();
        Clock clock = Clock.systemUTC();
        HttpClient tokenClient = HttpClient.newBuilder().connectTimeout(config.http().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.grants = new AuthorizationCodeTokens(tokenClient, config.http().requestTimeout(), environment, json, clock,
                new OAuthGrantRepository(store, clock), () -> TokenCipher.of(environment.get(RestSettings.TOKEN_KEY)));
        this.authenticator = new RestAuthenticator(environment,
                new OAuth2TokenProvider(tokenClient, config.http().requestTimeout(), environment, json, clock), grants);
        this.limiter = limiter;
    }

    public AuthorizationCodeTokens grants() {
        return grants;
    }

    public RestAuthenticator authenticator() {
        return authenticator;
    }

    public SharedRateLimiter limiter() {
        return limiter;
    }

    /** A client of REST systems' records, with the configured timeouts, these auth and these rate limits. */
    public HttpTargetClient client() {
        return new HttpTargetClient(config.http().connectTimeout(), config.http().requestTimeout(), json, Clock.systemUTC(),
                authenticator, limiter);
    }

    /** A puller of REST systems' pages in every pagination style, with these auth and these rate limits. */
    public io.syncline.connector.rest.RestRecordPuller puller() {
        return new io.syncline.connector.rest.RestRecordPuller(HttpClient.newBuilder()
                .connectTimeout(config.http().connectTimeout()).build(), json, authenticator, limiter);
    }
}
