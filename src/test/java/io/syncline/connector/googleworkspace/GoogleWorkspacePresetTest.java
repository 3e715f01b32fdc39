package io.syncline.connector.googleworkspace;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.DiscoveryContract;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.GoogleWorkspaceStub;
import io.syncline.testsupport.HrStubResource;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Google Workspace users through {@code type: google-workspace} (the preset, its plug-in's inserts, and the
 * service account's sign-in google-sheets shares), against a stub of the Admin SDK Directory API with Google's
 * token endpoint, the state store on PostgreSQL: the HR system's accounts reach Workspace as users inserted
 * with a random password to change at the first sign-in, patched with the members mapped, and deleted, every
 * call with an access token of the service account acting as the administrator (a JWT bearer grant the stub
 * checks: RS256 with the key's private key, the scope, {@code sub}, {@code aud}, an hour at most); Google's rate
 * limit answered as 403 {@code userRateLimitExceeded} or 429 retried, not dead-lettered; any other error a dead
 * letter naming its message and reason; every user pulled by {@code pageToken}, 500 a page, with
 * {@code customer=my_customer}. Every request the API received is checked against the whole of Google's
 * discovery document of {@code admin:directory_v1}, committed in this repository.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(HrStubResource.class)
class GoogleWorkspacePresetTest {

    static final String DATABASE = HrStubResource.DATABASE_URL;
    static final DiscoveryContract DESCRIPTION = DiscoveryContract.published("google-workspace/admin-directory_v1.json");

    GoogleWorkspaceStub workspace;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried an access token the token endpoint issued, is a method of the discovery document, and follows it. */
    @AfterEach
    void everyRequestFollowsGooglesDiscoveryDocument() {
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(workspace.received()).allSatisfy(request -> assertThat(request.header("Authorization")).startsWith("Bearer ya29.stub-"));
        assertThat(DESCRIPTION.violations(workspace.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void account(String id, String email, String lastName, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "email", email, "first_name", "Ada",
                "last_name", lastName, "org_unit", "/Engineering"));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/hr/accounts").then().statusCode(202);
    }

    static String userId(String accountId) {
        return LinkedRecords.awaitLinkedId(DATABASE, "account", "hr", accountId, "workspace");
    }

    static String lastStatus(String email) {
        return InboxBacklog.awaitSettled(DATABASE, email);
    }

    static String run() {
        return "gw" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<HubSpotStub.Received> inserts(String email) {
        return workspace.received("POST", GoogleWorkspaceStub.USERS).stream().filter(request -> request.body().contains(email)).toList();
    }

    @Test
    void anAccountIsInsertedWithARandomPasswordThenPatchedThenDeleted() {
        String id = run();
        String email = id + "@example.com";

        account(id, email, "Lovelace", false);
        String user = userId(id);
        assertThat(workspace.user(user)).containsEntry("primaryEmail", email).containsEntry("orgUnitPath", "/Engineering")
                .containsEntry("changePasswordAtNextLogin", true);
        assertThat(workspace.name(user)).containsEntry("givenName", "Ada").containsEntry("familyName", "Lovelace");
        // users.insert at the collection itself (no customer), with a password nobody chose
        assertThat(inserts(email)).singleElement().satisfies(insert -> {
            assertThat(insert.query()).isNull();
            assertThat((String) insert.json().get("password")).hasSize(32);
        });

        account(id, email, "King", false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "King".equals(workspace.name(user).get("familyName")));
        // users.patch with the mapped members alone: no password on an update
        assertThat(workspace.received("PATCH", GoogleWorkspaceStub.USERS + "/" + user)).singleElement()
                .satisfies(patch -> assertThat(patch.json()).isEqualTo(Map.of("primaryEmail", email, "name", Map.of("givenName", "Ada",
                        "familyName", "King"), "orgUnitPath", "/Engineering")));

        account(id, email, "King", true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> workspace.user(user) == null);
        assertThat(workspace.received("DELETE", GoogleWorkspaceStub.USERS + "/" + user)).hasSize(1);
        assertThat(lastStatus(email)).isEqualTo("done");
        // one access token serves every call until it nears its hour
        assertThat(workspace.tokensIssued()).isEqualTo(1);
    }

    @Test
    void googlesRateLimitAnsweredAs403OrAs429IsRetriedAndNotDeadLettered() {
        String id = run();
        String email = id + "@example.com";
        workspace.respondNext("POST", GoogleWorkspaceStub.USERS, 403, GoogleWorkspaceStub.error(403, "Quota exceeded for quota metric"
                + " 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'", "usageLimits",
                "userRateLimitExceeded"));

        account(id, email, "Limited", false);
        assertThat(workspace.name(userId(id))).containsEntry("familyName", "Limited");
        assertThat(lastStatus(email)).isEqualTo("done");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM dead_letter WHERE payload LIKE ?", "%" + email + "%")).isEmpty();
        // the 403 was sent again, not kept as a dead letter
        assertThat(inserts(email)).hasSize(2);

        String again = run();
        workspace.rateLimitNext(1);
        account(again, again + "@example.com", "Limited", false);
        assertThat(workspace.name(userId(again))).containsEntry("familyName", "Limited");
        assertThat(lastStatus(again + "@example.com")).isEqualTo("done");
        assertThat(inserts(again + "@example.com")).hasSize(2);
    }

    @Test
    void googlesErrorIsADeadLetterNamingItsMessageAndReason() {
        String id = run();
        String email = id + "@example.com";
        workspace.add(email, "Taken", "Already");

        account(id, email, "Refused", false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "\"external_id\":\"" + id + "\"", "workspace rejected POST /admin/directory/v1/users:"
                + " 409 Entity already exists. (duplicate)");
    }

    @Test
    void aPullReadsEveryPageOfTheAccountByItsPageToken() throws Exception {
        String run = run();
        IntStream.range(0, 1_100).forEach(i -> workspace.add(run + "-" + i + "@example.com", "Page", run));
        int before = workspace.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("workspace").puller().pull(new PullRequest("account", "workspace",
                model.systems().get("workspace"), model.entities().get("account").mappings().get("workspace"), 500), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> run.equals(((Map<?, ?>) record.get("name")).get("familyName")))).hasSize(1_100);
        List<HubSpotStub.Received> pages = workspace.received().subList(before, workspace.received().size());
        assertThat(pages).allSatisfy(page -> assertThat(page.method() + " " + page.path()).isEqualTo("GET " + GoogleWorkspaceStub.USERS))
                .allSatisfy(page -> assertThat(page.query()).contains("customer=my_customer").contains("maxResults=500"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("pageToken="));
        // the last page has no nextPageToken; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 500.0));
    }
}
