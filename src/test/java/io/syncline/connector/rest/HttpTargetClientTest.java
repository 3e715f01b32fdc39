package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.RateLimit;
import io.syncline.failure.TargetPausedException;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.testsupport.HubSpotStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.syncline.testsupport.HubSpotStub.CONTACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP target against a stub of HubSpot's CRM v3 contacts API: create, update, delete,
 * auth, rate limits, and each kind of failure classified as transient or permanent.
 */
class HttpTargetClientTest {

    static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    static final Environment ENVIRONMENT = Map.of(
            "HUBSPOT_TOKEN", TOKEN,
            "WRONG_TOKEN", "pat-na1-not-a-token",
            "API_KEY", "k-123",
            "USER", "sync", "PASSWORD", "pa:ss w0rd",
            "CLIENT_ID", "syncline-client", "CLIENT_SECRET", "s3cret/+=",
            "WRONG_SECRET", "guess")::get;

    private HubSpotStub stub;
    private final MutableClock clock = new MutableClock();
    private HttpTargetClient client;

    @BeforeEach
    void start() {
        stub = HubSpotStub.start().acceptBearer(TOKEN);
        client = client(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpTargetClient client(Duration requestTimeout) {
        return new HttpTargetClient(Duration.ofSeconds(2), requestTimeout, ENVIRONMENT, new ObjectMapper(), clock);
    }

    private RestTarget hubspot(RestSettings.Auth auth) {
        return hubspot(auth, null, Write.DEFAULT);
    }

    private RestTarget hubspot(RestSettings.Auth auth, RateLimit rateLimit, Write write) {
        return new RestTarget("hubspot", new RestSettings(stub.baseUrl(), auth, null, rateLimit, null), "id", CONTACTS, write);
    }

    static RestSettings.Auth bearer(String variable) {
        return new RestSettings.Auth(RestSettings.AuthType.BEARER, env(variable), null, null, null, null, null, null, null, null);
    }

    private RestSettings.Auth oauth2(String secretVariable) {
        return new RestSettings.Auth(RestSettings.AuthType.OAUTH2_CLIENT_CREDENTIALS, null, null, null, null, null,
                stub.baseUrl() + HubSpotStub.TOKEN_PATH, env("CLIENT_ID"), env(secretVariable), "crm.objects.contacts.write");
    }

    static SecretRef env(String variable) {
        return new SecretRef(variable, null);
    }

    static Map<String, Object> contact(String email, String firstName) {
        return Map.of("properties", Map.of("email", email, "firstname", firstName));
    }

    @Test
    void createPostsThePropertiesWithTheBearerTokenAndReadsTheNewIdFromTheAnswer() {
        HttpWriteResult result = client.create(hubspot(bearer("HUBSPOT_TOKEN")), contact("ada@example.com", "Ada"));

        assertThat(result.action()).isEqualTo(HttpWriteResult.Action.CREATED);
        assertThat(result.status()).isEqualTo(201);
        assertThat(stub.contact(result.targetId())).containsEntry("email", "ada@example.com").containsEntry("firstname", "Ada");
        HubSpotStub.Received post = stub.received("POST", CONTACTS).get(0);
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.json()).isEqualTo(Map.of("properties", Map.of("email", "ada@example.com", "firstname", "Ada")));
    }

    @Test
    void updatePatchesTheRecordAtItsIdWithOnlyTheFieldsSent() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"));
        String id = client.create(target, contact("grace@example.com", "Grace")).targetId();

        HttpWriteResult result = client.update(target, id, Map.of("properties", Map.of("firstname", "Grace B.")));

        assertThat(result).isEqualTo(new HttpWriteResult(HttpWriteResult.Action.UPDATED, id, 200));
        assertThat(stub.received("PATCH", CONTACTS + "/" + id)).singleElement()
                .satisfies(patch -> assertThat(patch.json()).isEqualTo(Map.of("properties", Map.of("firstname", "Grace B."))));
        assertThat(stub.contact(id)).containsEntry("email", "grace@example.com").containsEntry("firstname", "Grace B.");
    }

    @Test
    void updateWithPutIsSentAsPutWhichHubSpotRefuses() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"), null, new Write(null, Write.UpdateMethod.PUT));

        assertThatThrownBy(() -> client.update(target, "51", contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> assertThat(e.status()).isEqualTo(405));
        assertThat(stub.received("PUT", CONTACTS + "/51")).hasSize(1);
    }

    @Test
    void idIsOnePercentEncodedPathSegment() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"));

        assertThatThrownBy(() -> client.update(target, "a/b c", contact("x@example.com", "X")))
                .isInstanceOf(TargetRejectedException.class);
        assertThat(stub.received("PATCH", CONTACTS + "/")).singleElement()
                .satisfies(patch -> assertThat(patch.path()).isEqualTo(CONTACTS + "/a%2Fb%20c"));
    }

    @Test
    void deleteArchivesTheRecordAndARecordAlreadyGoneCountsAsDeleted() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"));
        String id = client.create(target, contact("alan@example.com", "Alan")).targetId();

        assertThat(client.delete(target, id)).isEqualTo(new HttpWriteResult(HttpWriteResult.Action.DELETED, id, 204));
        assertThat(stub.contact(id)).isNull();
        assertThat(client.delete(target, id)).isEqualTo(new HttpWriteResult(HttpWriteResult.Action.DELETED, id, 404));
    }

    @Test
    void updateOfARecordHubSpotDoesNotHaveIsRejectedAsNotFound() {
        assertThatThrownBy(() -> client.update(hubspot(bearer("HUBSPOT_TOKEN")), "999", contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.providerMessage()).isEqualTo("resource not found (OBJECT_NOT_FOUND)");
                });
    }

    @Test
    void badBearerTokenIsRejectedWithHubSpotsMessageAndTheTokenIsNotInIt() {
        assertThatThrownBy(() -> client.create(hubspot(bearer("WRONG_TOKEN")), contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.providerMessage()).startsWith("Authentication credentials not found")
                            .endsWith("(INVALID_AUTHENTICATION)");
                    assertThat(e.getMessage()).startsWith("hubspot rejected POST " + CONTACTS + ": 401 Authentication")
                            .doesNotContain("pat-na1-not-a-token");
                });
    }

    @Test
    void validationErrorIsRejectedWithTheProvidersMessage() {
        assertThatThrownBy(() -> client.create(hubspot(bearer("HUBSPOT_TOKEN")),
                Map.of("properties", Map.of("email", "ada@example.com", "lifecyclestage", "prospect"))))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.providerMessage()).startsWith("Property values were not valid:")
                            .contains("prospect was not one of the allowed options").endsWith("(VALIDATION_ERROR)");
                });
    }

    @Test
    void duplicateEmailIsAConflictAndRejected() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"));
        String id = client.create(target, contact("dup@example.com", "One")).targetId();

        assertThatThrownBy(() -> client.create(target, contact("dup@example.com", "Two")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.providerMessage()).isEqualTo("Contact already exists. Existing ID: " + id + " (CONFLICT)");
                });
    }

    @Test
    void tooManyRequestsIsTransientAndNoRequestIsSentBeforeRetryAfterHasPassed() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"));
        stub.rateLimitNext(1);

        assertThatThrownBy(() -> client.create(target, contact("busy@example.com", "Busy")))
                .isInstanceOfSatisfying(TargetUnavailableException.class, e -> {
                    assertThat(e.status()).contains(429);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                    assertThat(e.getMessage()).contains("You have reached your secondly limit.");
                });
        // At once again: refused here, without troubling HubSpot, naming when the pause ends.
        assertThatThrownBy(() -> client.create(target, contact("busy@example.com", "Busy")))
                .isInstanceOfSatisfying(TargetPausedException.class,
                        e -> assertThat(e.until()).isEqualTo(clock.instant().plus(Duration.ofSeconds(1))));
        assertThat(stub.received("POST", CONTACTS)).hasSize(1);

        clock.advance(Duration.ofMillis(1001));
        HttpWriteResult result = client.create(target, contact("busy@example.com", "Busy"));

        assertThat(result.status()).isEqualTo(201);
        assertThat(stub.received("POST", CONTACTS)).hasSize(2);
    }

    @Test
    void serverErrorsAreTransient() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"));
        for (int status : new int[]{500, 502, 503, 504}) {
            stub.failNext(status);
            assertThatThrownBy(() -> client.create(target, contact("x@example.com", "X")))
                    .isInstanceOfSatisfying(TargetUnavailableException.class, e -> {
                        assertThat(e.status()).contains(status);
                        assertThat(e.retryAfter()).isEmpty();
                    });
        }
    }

    @Test
    void serviceUnavailableWithAnHttpDateRetryAfterIsHonouredToo() {
        Instant at = clock.instant().plusSeconds(90);
        stub.respondNext(503, Map.of("Retry-After", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(at.atOffset(ZoneOffset.UTC))), "<html>Service Unavailable</html>");

        assertThatThrownBy(() -> client.create(hubspot(bearer("HUBSPOT_TOKEN")), contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetUnavailableException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
                    assertThat(e.getMessage()).contains("503 <html>Service Unavailable</html>");
                });
    }

    @Test
    void connectionRefusedIsTransient() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RestTarget nowhere = new RestTarget("hubspot", new RestSettings("http://127.0.0.1:" + port, bearer("HUBSPOT_TOKEN"),
                null, null, null), "id", CONTACTS, Write.DEFAULT);

        assertThatThrownBy(() -> client.create(nowhere, contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetUnavailableException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("could not connect");
                });
    }

    @Test
    void answerThatDoesNotComeInTimeIsTransient() {
        stub.hangNext();

        assertThatThrownBy(() -> client(Duration.ofMillis(300)).create(hubspot(bearer("HUBSPOT_TOKEN")), contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetUnavailableException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).endsWith("timed out");
                });
    }

    @Test
    void redirectIsNotFollowedButRejectedNamingWhereItPointed() {
        stub.respondNext(301, Map.of("Location", "https://api.hubapi.com/crm/v3/objects/contacts"), "");

        assertThatThrownBy(() -> client.create(hubspot(bearer("HUBSPOT_TOKEN")), contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> assertThat(e.getMessage())
                        .contains("301 to https://api.hubapi.com/crm/v3/objects/contacts").contains("baseUrl"));
    }

    @Test
    void newIdIsTakenFromTheLocationHeaderWhenTheBodyHasNone() {
        stub.respondNext(201, Map.of("Location", stub.baseUrl() + CONTACTS + "/777"), "");

        assertThat(client.create(hubspot(bearer("HUBSPOT_TOKEN")), contact("x@example.com", "X")).targetId()).isEqualTo("777");
    }

    @Test
    void createAnsweredWithoutAnyIdIsRejectedSoThatItIsNotCreatedTwice() {
        stub.respondNext(201, Map.of(), "{\"ok\":true}");

        assertThatThrownBy(() -> client.create(hubspot(bearer("HUBSPOT_TOKEN")), contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> assertThat(e.getMessage())
                        .contains("without the new record's id").contains("'id'"));
    }

    @Test
    void createWithPutUsesTheRecordsOwnId() {
        stub.respondNext(200, Map.of(), "{}");
        RestTarget target = new RestTarget("hubspot", new RestSettings(stub.baseUrl(), bearer("HUBSPOT_TOKEN"), null, null, null),
                "properties.crm_contact_id", CONTACTS, new Write(Write.CreateMethod.PUT, null));

        HttpWriteResult result = client.create(target, Map.of("properties", Map.of("crm_contact_id", "c-9")));

        assertThat(result).isEqualTo(new HttpWriteResult(HttpWriteResult.Action.CREATED, "c-9", 200));
        assertThat(stub.received("PUT", CONTACTS + "/c-9")).hasSize(1);
    }

    @Test
    void apiKeyHeaderAndBasicCredentialsAreSent() {
        stub.acceptHeader("X-Api-Key", "k-123").acceptBasic("sync", "pa:ss w0rd");
        RestSettings.Auth apiKey = new RestSettings.Auth(RestSettings.AuthType.API_KEY, null, "X-Api-Key", env("API_KEY"),
                null, null, null, null, null, null);
        RestSettings.Auth basic = new RestSettings.Auth(RestSettings.AuthType.BASIC, null, null, null, env("USER"), env("PASSWORD"),
                null, null, null, null);

        assertThat(client.create(hubspot(apiKey), contact("key@example.com", "Key")).status()).isEqualTo(201);
        assertThat(client.create(hubspot(basic), contact("basic@example.com", "Basic")).status()).isEqualTo(201);

        List<HubSpotStub.Received> posts = stub.received("POST", CONTACTS);
        assertThat(posts.get(0).header("X-Api-Key")).isEqualTo("k-123");
        assertThat(posts.get(1).header("Authorization")).isEqualTo("Basic c3luYzpwYTpzcyB3MHJk");
    }

    @Test
    void oauth2TokenIsFetchedOnceWithTheClientCredentialsAndReused() {
        stub.registerClient("syncline-client", "s3cret/+=", Duration.ofMinutes(30));
        RestTarget target = hubspot(oauth2("CLIENT_SECRET"));

        client.create(target, contact("o1@example.com", "One"));
        client.create(target, contact("o2@example.com", "Two"));

        assertThat(stub.tokenRequests()).singleElement().satisfies(token -> {
            assertThat(token.body()).isEqualTo("grant_type=client_credentials&scope=crm.objects.contacts.write");
            assertThat(token.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(token.header("Authorization")).startsWith("Basic ");
        });
        List<HubSpotStub.Received> posts = stub.received("POST", CONTACTS);
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).header("Authorization")).startsWith("Bearer at-").isEqualTo(posts.get(1).header("Authorization"));
    }

    @Test
    void oauth2TokenIsRefreshedShortlyBeforeItExpires() {
        stub.registerClient("syncline-client", "s3cret/+=", Duration.ofMinutes(10));
        RestTarget target = hubspot(oauth2("CLIENT_SECRET"));

        client.create(target, contact("e1@example.com", "One"));
        clock.advance(Duration.ofMinutes(9).plusSeconds(29));
        client.create(target, contact("e2@example.com", "Two"));
        assertThat(stub.tokenRequests()).hasSize(1);

        clock.advance(Duration.ofSeconds(1)); // 30 s before expiry
        client.create(target, contact("e3@example.com", "Three"));
        assertThat(stub.tokenRequests()).hasSize(2);
    }

    @Test
    void oauth2TokenTheApiRefusesIsReplacedOnceAndTheWriteSentAgain() {
        stub.registerClient("syncline-client", "s3cret/+=", Duration.ofMinutes(30));
        RestTarget target = hubspot(oauth2("CLIENT_SECRET"));
        client.create(target, contact("r1@example.com", "One"));
        stub.revokeIssuedTokens();

        HttpWriteResult result = client.create(target, contact("r2@example.com", "Two"));

        assertThat(result.status()).isEqualTo(201);
        assertThat(stub.tokenRequests()).hasSize(2);
        List<HubSpotStub.Received> posts = stub.received("POST", CONTACTS);
        assertThat(posts).hasSize(3);
        assertThat(posts.get(2).header("Authorization")).isNotEqualTo(posts.get(1).header("Authorization"));
    }

    @Test
    void oauth2ClientWithAWrongSecretIsRejectedWithTheTokenEndpointsReason() {
        stub.registerClient("syncline-client", "s3cret/+=", Duration.ofMinutes(30));

        assertThatThrownBy(() -> client.create(hubspot(oauth2("WRONG_SECRET")), contact("x@example.com", "X")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.providerMessage()).isEqualTo("Client authentication failed (invalid_client)");
                    assertThat(e.getMessage()).doesNotContain("guess");
                });
        assertThat(stub.received("POST", CONTACTS)).isEmpty();
    }

    @Test
    void requestsToASystemAreSpacedByItsRateLimit() {
        RestTarget target = hubspot(bearer("HUBSPOT_TOKEN"), new RateLimit(5.0, 1), Write.DEFAULT);

        for (int i = 0; i < 4; i++) {
            client.create(target, contact("rate" + i + "@example.com", "R"));
        }

        List<HubSpotStub.Received> posts = stub.received("POST", CONTACTS);
        // 5 per second with a burst of 1: at least 200 ms between sends (allowing for delivery jitter).
        assertThat(Duration.between(posts.get(0).at(), posts.get(3).at())).isGreaterThanOrEqualTo(Duration.ofMillis(550));
    }

    /** A clock the tests move by hand, for token expiry and Retry-After. */
    static final class MutableClock extends Clock {

        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-03-01T09:00:00Z"));

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
