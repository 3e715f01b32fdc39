package io.syncline.connector.segment;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.testsupport.CdpStubResource;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.SegmentStub;
import io.syncline.testsupport.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segment through {@code type: segment} (the preset, and the segment plug-in's fetch), with the
 * state store on PostgreSQL: the identify calls of Segment's Webhooks destination, signed with
 * HMAC-SHA1 in {@code X-Signature}, create and then update billing's row of their {@code userId}, its
 * other calls skipped and wrong signatures refused; a system whose webhook fetches takes each user's
 * traits from the Profile API instead, waits out its 429, and turns its error into a dead letter with
 * Segment's message.
 *
 * <p>Segment publishes no OpenAPI description of the Profile API or of the Webhooks destination's
 * requests (its Public API description covers the workspace's configuration, not these), so the
 * requests are checked against the reference pages the stub follows: "Profile API"
 * (segment-docs {@code src/unify/profile-api.md}: the URL, Basic auth with the token as the user and
 * no password, {@code limit} of 1 to 200 traits, the error body) and "Webhooks Destination"
 * ({@code src/connections/destinations/catalog/webhooks/index.md}: the calls' bodies and the
 * {@code X-Signature}). A Segment system is a source only: it has no pages to read (the Profile API
 * lists no users) and nothing is written to it.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(CdpStubResource.class)
class SegmentPresetTest {

    static final String DATABASE = CdpStubResource.DATABASE_URL;
    static final String SECRET = CdpStubResource.SEGMENT_SECRET;

    SegmentStub segment;

    /** Every request to the Profile API carried the token as the Basic user with no password, and asked for at most 200 traits. */
    @AfterEach
    void everyRequestFollowsTheProfileApiReference() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((CdpStubResource.SEGMENT_TOKEN + ":")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(segment.received()).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).matches("/v1/spaces/" + CdpStubResource.SEGMENT_SPACE
                    + "/collections/users/profiles/user_id:[^/]+/traits");
            assertThat(request.query()).isEqualTo("limit=200");
            assertThat(request.header("Authorization")).isEqualTo(basic);
        });
    }

    private static Response deliver(String path, String body, String signature) {
        return given().contentType(ContentType.JSON).header("X-Signature", signature).body(body).when().post(path);
    }

    static String run() {
        return "sg" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<Map<String, Object>> row(String userId) {
        return TestDatabase.queryOn(DATABASE, "SELECT email, first_name, last_name FROM demo_contact WHERE external_id = ?", userId);
    }

    @Test
    void identifyCallsCreateThenUpdateBillingsRowOfTheirUser() {
        String user = run();
        String email = user + "@example.com";
        String first = SegmentStub.identify(user, Map.of("email", email, "firstName", "Ada", "lastName", "Lovelace"));

        assertThat(deliver("/webhooks/segment/identify", first, SegmentStub.sign(SECRET, first)).statusCode()).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, first_name, last_name FROM demo_contact WHERE external_id = ?",
                user)).singleElement().satisfies(row -> assertThat(row).containsEntry("email", email)
                        .containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace"));

        String second = SegmentStub.identify(user, Map.of("email", email, "firstName", "Ada", "lastName", "King"));
        assertThat(deliver("/webhooks/segment/identify", second, SegmentStub.sign(SECRET, second)).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "King".equals(row(user).get(0).get("last_name")));
        // the same call again (Segment retries for four hours) is refused by its messageId
        deliver("/webhooks/segment/identify", first, SegmentStub.sign(SECRET, first));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%" + user + "%")).hasSize(2);
        assertThat(segment.received()).as("calls carrying their traits fetch nothing")
                .noneSatisfy(request -> assertThat(request.path()).isEqualTo(segment.traitsPath(user)));
    }

    @Test
    void wrongSignaturesAreRefusedAndCallsOtherThanIdentifySkipped() {
        String user = run();
        String body = SegmentStub.identify(user, Map.of("email", user + "@example.com", "lastName", "Hopper"));

        assertThat(deliver("/webhooks/segment/identify", body, SegmentStub.sign("not-the-shared-secret", body)).statusCode())
                .isEqualTo(401);
        assertThat(deliver("/webhooks/segment/identify", body.replace("Hopper", "Hacker"), SegmentStub.sign(SECRET, body))
                .statusCode()).isEqualTo(401);
        assertThat(given().contentType(ContentType.JSON).body(body).when().post("/webhooks/segment/identify").statusCode())
                .isEqualTo(401);
        String track = SegmentStub.call("track", user, Map.of("revenue", "39.95"));
        assertThat(deliver("/webhooks/segment/identify", track, SegmentStub.sign(SECRET, track)).statusCode()).isBetween(200, 299);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%" + user + "%")).isEmpty();
    }

    @Test
    void aFetchingSystemTakesTheUsersTraitsFromTheProfileApiAndWaitsOutIts429() {
        String user = run();
        String email = user + "@example.com";
        segment.putTraits(user, Map.of("email", email, "lastName", "Noether", "big_spender", true));
        String body = SegmentStub.identify(user, Map.of("email", email));
        int before = segment.received().size();
        segment.rateLimitNext(1);

        assertThat(deliver("/webhooks/segment/profiles", body, SegmentStub.sign(SECRET, body)).statusCode()).isEqualTo(202);

        // the call carries the e-mail alone; the last name is the one the Profile API has merged
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?", user))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", email).containsEntry("last_name", "Noether"));
        List<HubSpotStub.Received> calls = segment.received().subList(before, segment.received().size());
        assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call.path()).isEqualTo(segment.traitsPath(user)));
    }

    @Test
    void theProfileApisErrorIsADeadLetterNamingItsMessage() {
        String user = run();
        String email = user + "@example.com";
        segment.putTraits(user, Map.of("email", email));
        segment.respondNext("GET", segment.traitsPath(user), 400, SegmentStub.error("validation_error",
                "The parameter `collection` has invalid character(s) `!`"));
        String body = SegmentStub.identify(user, Map.of("email", email));

        assertThat(deliver("/webhooks/segment/profiles", body, SegmentStub.sign(SECRET, body)).statusCode()).isEqualTo(202);

        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + user + "%"))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason"))
                            .contains("400 The parameter `collection` has invalid character(s) `!` (validation_error)");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }
}
