package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.ConsentNeededException;
import io.syncline.model.Environment;
import io.syncline.store.TokenCipher;
import io.syncline.testsupport.IntuitOAuthStub;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OAuth 2.0 authorization-code grant of a QuickBooks-style connection, on the real PostgreSQL
 * against a stub of Intuit's token endpoint that rotates the refresh token at each use and refuses
 * (and records) any second use of one. A restart and two replicas racing are JVMs of their own
 * ({@link OAuthReplicaProcess}) that share only the database and the provider; the other cases use
 * a provider of their own with sessions of its own on the same state store.
 */
class AuthorizationCodeTokensTest {

    private static final String SYSTEM = "quickbooks";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static OAuthStateStore store;

    private final HttpTargetClientTest.MutableClock clock = new HttpTargetClientTest.MutableClock();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> variables = new HashMap<>();
    private final Environment environment = variables::get;
    private IntuitOAuthStub intuit;

    @BeforeAll
    static void database() {
        store = OAuthStateStore.fresh("_oauth_grants");
    }

    @BeforeEach
    void start() throws Exception {
        intuit = new IntuitOAuthStub();
        variables.put("QBO_CLIENT_ID", IntuitOAuthStub.CLIENT_ID);
        variables.put("QBO_CLIENT_SECRET", IntuitOAuthStub.CLIENT_SECRET);
        store.execute("DELETE FROM oauth_grant");
    }

    @AfterEach
    void stop() {
        intuit.close();
    }

    private RestSettings.Auth auth() {
        return OAuthReplicaProcess.auth(intuit.tokenUrl(), intuit.authorizationUrl());
    }

    /** One application instance: its own sessions on the store, nothing in memory. */
    private AuthorizationCodeTokens replica() {
        return new AuthorizationCodeTokens(http, Duration.ofSeconds(10), environment, new ObjectMapper(), clock,
                new OAuthGrantRepository(store.replica(), clock), () -> TokenCipher.of(KEY));
    }

    private Map<String, Object> storedGrant() {
        return TestDatabase.queryOn(store.url(), "SELECT refresh_token, access_token, refreshed_count, consent_needed"
                + " FROM oauth_grant WHERE system_name = ?", SYSTEM).get(0);
    }

    /** A replica in a JVM of its own, on the store, seeded with {@code seed}: nothing shared but the database. */
    private OAuthReplicaProcess replicaProcess(String name, String seed) throws IOException {
        return OAuthReplicaProcess.start(name, store.url(), intuit.tokenUrl(), intuit.authorizationUrl(), seed, KEY);
    }

    @Test
    void aQuickBooksConnectionSurvivesTenRotationsAndARestartWithoutNewConsent() throws Exception {
        String seed = intuit.issueRefreshToken();
        List<String> accessTokens = new ArrayList<>();
        try (OAuthReplicaProcess beforeRestart = replicaProcess("oauth-replica-before-restart", seed)) {
            for (int rotation = 1; rotation <= 5; rotation++) {
                accessTokens.addAll(beforeRestart.tokens(rotation - 1, 1));
            }
        }
        // a new JVM with the same seed in its environment: the seed has been spent, so only what
        // the state store holds can carry the connection on
        try (OAuthReplicaProcess afterRestart = replicaProcess("oauth-replica-after-restart", seed)) {
            for (int rotation = 6; rotation <= 10; rotation++) {
                accessTokens.addAll(afterRestart.tokens(rotation - 1, 1));
            }
        }

        assertThat(intuit.refreshes).hasValue(10);
        assertThat(intuit.spentTwice).isEmpty();
        assertThat(accessTokens).hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(token -> assertThat(intuit.isLive(token)).isTrue());
        Map<String, Object> row = storedGrant();
        assertThat(row.get("refreshed_count")).isEqualTo(10L);
        assertThat(row.get("consent_needed")).isNull();
        // encrypted at rest: neither the stored tokens nor anything in the row is a token the provider issued
        assertThat((String) row.get("access_token")).isNotIn(accessTokens).doesNotContain("eyJ-access");
        assertThat((String) row.get("refresh_token")).doesNotContain("AB11").isNotEqualTo(seed);
    }

    @Test
    void anAccessTokenIsKeptUntilShortlyBeforeItExpires() {
        variables.put("QBO_REFRESH_TOKEN", intuit.issueRefreshToken());
        AuthorizationCodeTokens tokens = replica();
        String first = tokens.token(SYSTEM, auth());
        clock.advance(Duration.ofMinutes(59));
        assertThat(tokens.token(SYSTEM, auth())).isEqualTo(first);
        // another replica reads it from the store instead of refreshing
        assertThat(replica().token(SYSTEM, auth())).isEqualTo(first);
        assertThat(intuit.refreshes).hasValue(1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(tokens.token(SYSTEM, auth())).isNotEqualTo(first);
        assertThat(intuit.refreshes).hasValue(2);
    }

    @Test
    void twoReplicasRacingNeverSpendOneRefreshTokenTwice() throws Exception {
        String seed = intuit.issueRefreshToken();
        intuit.tokenLatencyMillis = 150;
        int callersPerReplica = 4;
        try (OAuthReplicaProcess a = replicaProcess("oauth-replica-a", seed);
                OAuthReplicaProcess b = replicaProcess("oauth-replica-b", seed)) {
            for (int round = 1; round <= 10; round++) {
                // both JVMs asked at once, each with its callers started together
                a.request(round - 1, callersPerReplica);
                b.request(round - 1, callersPerReplica);
                Set<String> tokens = new java.util.HashSet<>(a.answer());
                tokens.addAll(b.answer());
                assertThat(tokens).as("round %d: every caller of both replicas has the one new access token", round)
                        .hasSize(1);
            }
        }
        assertThat(intuit.spentTwice).as("refresh tokens used twice").isEmpty();
        assertThat(intuit.refreshes).hasValue(10);
        assertThat(storedGrant().get("refreshed_count")).isEqualTo(10L);
    }

    @Test
    void aRefusedRefreshTokenMeansConsentNeededUntilAnOperatorStoresANewOne() throws Exception {
        variables.put("QBO_REFRESH_TOKEN", intuit.issueRefreshToken());
        AuthorizationCodeTokens tokens = replica();
        tokens.token(SYSTEM, auth());
        intuit.disconnect();
        clock.advance(Duration.ofHours(1));

        assertThatThrownBy(() -> tokens.token(SYSTEM, auth())).isInstanceOf(ConsentNeededException.class)
                .hasMessageContaining("consent needed").hasMessageContaining("invalid_grant");
        assertThat(storedGrant().get("consent_needed")).asString().contains("invalid_grant");
        assertThat(tokens.consentNeeded(SYSTEM)).isPresent();
        int refreshes = intuit.refreshes.get();
        // no replica asks the provider again with a refused token: no retry storm
        assertThatThrownBy(() -> replica().token(SYSTEM, auth())).isInstanceOf(ConsentNeededException.class);
        assertThat(intuit.refreshes).hasValue(refreshes);

        tokens.store(SYSTEM, intuit.issueRefreshToken(), null, null);
        assertThat(intuit.isLive(tokens.token(SYSTEM, auth()))).isTrue();
        assertThat(tokens.consentNeeded(SYSTEM)).isEmpty();
        assertThat(storedGrant().get("consent_needed")).isNull();
    }

    @Test
    void withoutARefreshTokenTheSystemNeedsConsent() {
        AuthorizationCodeTokens tokens = replica();
        assertThatThrownBy(() -> tokens.token(SYSTEM, auth())).isInstanceOf(ConsentNeededException.class)
                .hasMessageContaining("no refresh token yet");
        assertThat(tokens.consentNeeded(SYSTEM)).contains("no refresh token yet");
        assertThat(intuit.refreshes).hasValue(0);
    }

    @Test
    void theConsentExchangesTheCallbacksCodeOnceForItsState() throws Exception {
        AuthorizationCodeTokens tokens = replica();
        URI redirect = URI.create("https://syncline.example.com/admin/systems/quickbooks/oauth/callback");
        URI consent = tokens.authorizationUri(SYSTEM, auth(), redirect);
        assertThat(consent.toString()).startsWith(intuit.authorizationUrl() + "?response_type=code&client_id=")
                .contains("scope=com.intuit.quickbooks.accounting").contains("state=");

        HttpResponse<Void> agreed = http.send(HttpRequest.newBuilder(consent).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(agreed.statusCode()).isEqualTo(302);
        Map<String, String> callback = query(URI.create(agreed.headers().firstValue("Location").orElseThrow()));
        assertThat(tokens.completeConsent(SYSTEM, auth(), "forged-state", callback.get("code"), redirect)).isFalse();
        assertThat(tokens.completeConsent(SYSTEM, auth(), callback.get("state"), callback.get("code"), redirect)).isTrue();
        // the state is spent with it
        assertThat(tokens.completeConsent(SYSTEM, auth(), callback.get("state"), callback.get("code"), redirect)).isFalse();

        assertThat(intuit.isLive(tokens.token(SYSTEM, auth()))).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(intuit.isLive(replica().token(SYSTEM, auth()))).isTrue();
        assertThat(intuit.spentTwice).isEmpty();
    }

    @Test
    void aStaleStateIsRefused() throws Exception {
        AuthorizationCodeTokens tokens = replica();
        URI redirect = URI.create("https://syncline.example.com/admin/systems/quickbooks/oauth/callback");
        URI consent = tokens.authorizationUri(SYSTEM, auth(), redirect);
        HttpResponse<Void> agreed = http.send(HttpRequest.newBuilder(consent).GET().build(), HttpResponse.BodyHandlers.discarding());
        Map<String, String> callback = query(URI.create(agreed.headers().firstValue("Location").orElseThrow()));
        clock.advance(AuthorizationCodeTokens.CONSENT_VALIDITY.plusSeconds(1));
        assertThat(tokens.completeConsent(SYSTEM, auth(), callback.get("state"), callback.get("code"), redirect)).isFalse();
    }

    private static Map<String, String> query(URI uri) {
        return java.util.Arrays.stream(uri.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0],
                        pair -> java.net.URLDecoder.decode(pair[1], java.nio.charset.StandardCharsets.UTF_8)));
    }
}
