package io.syncline.connector.jira;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.JiraStub;
import io.syncline.testsupport.ProjectToolsStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jira issues through {@code type: jira} (the preset, and the jira plug-in's reads and creates), against
 * a stub of Jira Cloud's platform REST API v3, with the state store on PostgreSQL: billing's work items
 * reach Jira as issues of the system's project (created at {@code POST /rest/api/3/issue} with the project
 * and issue type, edited, deleted), in their {@code {"fields": …}} envelope; Jira's 429 waited out as its
 * {@code Retry-After} says; its error collection a dead letter's reason; a project's issues pulled to the
 * end by the JQL search's {@code nextPageToken}, 100 a page; Jira's signed issue events fetched and taken
 * into billing's table, and refused when the signature is wrong. Every request Jira received is checked
 * against the whole of Atlassian's published OpenAPI description of the API, committed in this repository.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(ProjectToolsStubResource.class)
class JiraPresetTest {

    static final String DATABASE = ProjectToolsStubResource.DATABASE_URL;
    static final String PROJECT = ProjectToolsStubResource.JIRA_PROJECT;
    static final ApiDescription DESCRIPTION = ApiDescription.published("jira/swagger-v3.v3.json");

    /** The events of one issue Jira's webhook stored. */
    static final String STORED = "SELECT id FROM inbox WHERE source_system = 'jira' AND record_key = ?";

    JiraStub jira;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the API token as basic auth, is an operation of Jira's published description, and follows it. */
    @AfterEach
    void everyRequestFollowsJirasPublishedDescription() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((ProjectToolsStubResource.JIRA_EMAIL + ":"
                + ProjectToolsStubResource.JIRA_TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(jira.received()).allSatisfy(request -> assertThat(request.header("Authorization")).isEqualTo(basic));
        assertThat(DESCRIPTION.violations(jira.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void workItem(String id, String email, String title, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "email", email, "last_name", title));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/billing/workitems").then().statusCode(202);
    }

    static String issueId(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'workitem'"
                + " AND system = 'jira' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'workitem'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    static String run() {
        return "ji" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aWorkItemIsCreatedAsAnIssueOfTheProjectThenEditedThenDeleted() {
        String id = run();
        String email = id + "@example.com";
        int creates = jira.received("POST", JiraStub.ISSUE).size();

        workItem(id, email, "Call Ada " + id, false);
        String issue = issueId(id);
        assertThat(jira.fields(issue)).containsEntry("summary", "Call Ada " + id)
                .containsEntry("issuetype", Map.of("name", "Task"));
        assertThat((String) jira.issue(issue).get("key")).startsWith(PROJECT + "-");
        List<HubSpotStub.Received> posted = jira.received("POST", JiraStub.ISSUE);
        assertThat(posted).hasSize(creates + 1);
        assertThat(posted.get(posted.size() - 1).json()).isEqualTo(Map.of("fields", Map.of("summary", "Call Ada " + id,
                "project", Map.of("key", PROJECT), "issuetype", Map.of("name", "Task"))));

        workItem(id, email, "Call Ada again " + id, false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ("Call Ada again " + id).equals(jira.fields(issue).get("summary")));
        // an edit sends the mapped fields alone: Jira refuses project and issuetype in one
        assertThat(jira.received("PUT", JiraStub.ISSUE + "/" + issue)).singleElement()
                .satisfies(edit -> assertThat(edit.json()).isEqualTo(Map.of("fields", Map.of("summary", "Call Ada again " + id))));
        assertThat(jira.received("POST", JiraStub.ISSUE)).hasSize(creates + 1);

        workItem(id, email, "Call Ada again " + id, true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jira.issue(issue) == null);
        assertThat(jira.received("DELETE", JiraStub.ISSUE + "/" + issue)).hasSize(1);
        assertThat(lastStatus(email)).isEqualTo("done");
    }

    @Test
    void jirasRateLimitIsWaitedOutAsItsRetryAfterSaysAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = jira.received().size();
        jira.rateLimitNext(1);

        workItem(id, email, "Rate limited " + id, false);
        assertThat(jira.fields(issueId(id))).containsEntry("summary", "Rate limited " + id);
        assertThat(lastStatus(email)).isEqualTo("done");

        List<HubSpotStub.Received> calls = jira.received().subList(before, jira.received().size());
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void jirasErrorCollectionIsADeadLetterNamingTheFieldAndItsMessage() {
        String id = run();
        String email = id + "@example.com";
        jira.respondNext("POST", JiraStub.ISSUE, 400, JiraStub.error(List.of(),
                Map.of("summary", "Summary must be less than 255 characters: " + id)));

        workItem(id, email, "Refused " + id, false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, email, "jira rejected POST /rest/api/3/issue: 400 summary: Summary must be less than"
                + " 255 characters: " + id);
    }

    @Test
    void aPullReadsEveryPageOfTheProjectsJqlSearchByItsNextPageTokens() throws Exception {
        String run = run();
        IntStream.range(0, 230).forEach(i -> jira.add(PROJECT, Map.of("summary", run + "-" + i)));
        int before = jira.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("jira").puller().pull(new PullRequest("issue", "jira", model.systems().get("jira"),
                model.entities().get("issue").mappings().get("jira"), 100), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        // each issue read with its fields beside its id and key, as the mapping reads it
        assertThat(records.stream().filter(record -> String.valueOf(record.get("summary")).startsWith(run))).hasSize(230)
                .allSatisfy(record -> assertThat(record).containsKeys("id", "key").doesNotContainKey("fields"));
        List<HubSpotStub.Received> pages = jira.received().subList(before, jira.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("GET " + JiraStub.SEARCH)).toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.query()).contains("jql=project%3D" + PROJECT)
                .contains("fields=*navigable").contains("maxResults=100"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("nextPageToken="));
        // the last page has no nextPageToken; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
    }

    private static Response deliver(String body, String signature, String identifier) {
        return given().contentType(ContentType.JSON).header("X-Hub-Signature", signature)
                .header("X-Atlassian-Webhook-Identifier", identifier).body(body)
                .when().post("/webhooks/jira/issues");
    }

    @Test
    void jirasSignedIssueEventsAreFetchedAndTakenAndOnesWithAWrongSignatureRefused() {
        String run = run();
        String id = jira.add(PROJECT, Map.of("summary", "Hopper " + run));
        String key = (String) jira.issue(id).get("key");
        String created = JiraStub.event("jira:issue_created", jira.issue(id));
        String secret = ProjectToolsStubResource.JIRA_SECRET;

        assertThat(deliver(created, JiraStub.sign("not-the-secret", created), run + "-1").statusCode()).isEqualTo(401);
        assertThat(deliver(created.replace(id, "1"), JiraStub.sign(secret, created), run + "-1").statusCode()).isEqualTo(401);
        assertThat(given().contentType(ContentType.JSON).header("X-Atlassian-Webhook-Identifier", run + "-1").body(created)
                .when().post("/webhooks/jira/issues").statusCode()).isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).isEmpty();

        assertThat(deliver(created, JiraStub.sign(secret, created), run + "-1").statusCode()).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", key).containsEntry("last_name", "Hopper " + run));
        assertThat(jira.received("GET", JiraStub.ISSUE + "/" + id)).isNotEmpty();

        // the issue is fetched: the summary taken is the one the site has when the event is applied
        jira.fields(id).put("summary", "Hopper-King " + run);
        String updated = JiraStub.event("jira:issue_updated", jira.issue(id));
        assertThat(deliver(updated, JiraStub.sign(secret, updated), run + "-2").statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ("Hopper-King " + run).equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM demo_contact WHERE external_id = ?", id).get(0).get("last_name")));

        // a retry of a delivery carries the same identifier: it is not stored again
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).hasSize(2);
        assertThat(deliver(updated, JiraStub.sign(secret, updated), run + "-2").statusCode()).isBetween(200, 299);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).hasSize(2);
    }
}
