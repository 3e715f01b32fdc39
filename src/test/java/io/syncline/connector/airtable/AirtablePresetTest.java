package io.syncline.connector.airtable;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.AirtableStub;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.ProjectToolsStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records of an Airtable table through {@code type: airtable} (the preset, and the airtable plug-in's
 * reads), against a stub of Airtable's Web API, with the state store on PostgreSQL: billing's contacts,
 * polled from its table, reach Airtable's (created, updated, deleted), their fields in {@code fields}; Airtable's 429, which names no wait, waited out for the
 * system's {@code rateLimit.retryAfter} while the base refuses; its error a dead letter's reason; a
 * table's records pulled to the end by {@code offset}, 100 a page, each with its fields beside its id;
 * another table's changes polled by a formula on {@code LAST_MODIFIED_TIME()} into billing's table.
 * Airtable publishes no OpenAPI description: the stub follows its reference pages (authentication,
 * rate limits, errors, list, create, update and delete records) and refuses what they say Airtable
 * refuses; every request carried the token and none was refused.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(ProjectToolsStubResource.class)
class AirtablePresetTest {

    static final String DATABASE = ProjectToolsStubResource.DATABASE_URL;
    static final String CONTACTS = AirtableStub.BASE + "/" + ProjectToolsStubResource.AIRTABLE_BASE + "/Contacts";
    static final String LEADS = AirtableStub.BASE + "/" + ProjectToolsStubResource.AIRTABLE_BASE + "/Leads";

    AirtableStub airtable;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the token, and none was one Airtable's reference pages say it refuses. */
    @AfterEach
    void everyRequestFollowsAirtablesReference() {
        assertThat(airtable.received()).allSatisfy(request -> assertThat(request.header("Authorization"))
                .isEqualTo("Bearer " + ProjectToolsStubResource.AIRTABLE_TOKEN));
        assertThat(airtable.refusals()).isEmpty();
    }

    /** Billing's contacts made or changed in one statement, so that one poll finds them all: id, e-mail, name and whether deleted. */
    private static void contacts(List<List<Object>> rows) {
        StringBuilder values = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (List<Object> row : rows) {
            values.append(values.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, now())");
            parameters.addAll(row);
        }
        TestDatabase.queryOn(DATABASE, "INSERT INTO pm_airtable_contact (external_id, email, name, deleted, updated_at) VALUES " + values
                + " ON CONFLICT (external_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, deleted = EXCLUDED.deleted,"
                + " updated_at = EXCLUDED.updated_at RETURNING external_id", parameters.toArray());
    }

    private static void contact(String id, String email, String name, boolean deleted) {
        contacts(List.of(List.of(id, email, name, deleted)));
    }

    static String recordId(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'tablecontact'"
                + " AND system = 'airtable' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'tablecontact'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    private static String decoded(String query) {
        return URLDecoder.decode(query, StandardCharsets.UTF_8);
    }

    static String run() {
        return "at" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aContactIsCreatedInTheTableThenUpdatedThenDeleted() {
        String id = run();
        String email = id + "@example.com";

        contact(id, email, "Ada " + id, false);
        String record = recordId(id);
        assertThat(airtable.fields("Contacts", record)).containsEntry("Name", "Ada " + id).containsEntry("Email", email);

        contact(id, email, "Ada King " + id, false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ("Ada King " + id).equals(airtable.fields("Contacts", record).get("Name")));

        contact(id, email, "Ada King " + id, true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> airtable.fields("Contacts", record) == null);
        assertThat(airtable.received("DELETE", CONTACTS + "/" + record)).hasSize(1);
        assertThat(lastStatus(email)).isEqualTo("done");
    }

    @Test
    void airtablesRateLimitIsWaitedOutForTheSystemsRetryAfterAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = airtable.received().size();
        airtable.rateLimitNext("POST", CONTACTS);

        contact(id, email, "Rate limited " + id, false);
        assertThat(airtable.fields("Contacts", recordId(id))).containsEntry("Name", "Rate limited " + id);
        assertThat(lastStatus(email)).isEqualTo("done");

        // the write is sent again no earlier than the penalty after the 429, which named no wait
        List<HubSpotStub.Received> posts = airtable.received().subList(before, airtable.received().size()).stream()
                .filter(request -> request.method().equals("POST") && request.path().equals(CONTACTS)).toList();
        assertThat(posts).hasSizeGreaterThan(1);
        assertThat(Duration.between(posts.get(0).at(), posts.get(1).at()))
                .isGreaterThanOrEqualTo(ProjectToolsStubResource.AIRTABLE_PENALTY.minusMillis(100));
    }

    @Test
    void airtablesErrorIsADeadLetterNamingItsMessage() {
        String id = run();
        String email = id + "@example.com";
        airtable.respondNext("POST", CONTACTS, 422, Map.of("error", Map.of("type", "INVALID_VALUE_FOR_COLUMN",
                "message", "Field \"Email\" cannot accept the provided value " + id)));

        contact(id, email, "Refused " + id, false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, email, "Field \"Email\" cannot accept the provided value " + id);
    }

    @Test
    void aPullReadsEveryPageOfTheTableByItsOffsets() throws Exception {
        String run = run();
        IntStream.range(0, 230).forEach(i -> airtable.add("Contacts", Map.of("Name", run + "-" + i)));
        int before = airtable.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("airtable").puller().pull(new PullRequest("tablecontact", "airtable",
                model.systems().get("airtable"), model.entities().get("tablecontact").mappings().get("airtable"), 100), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        // each record read with its fields beside its id, as the mapping reads it
        assertThat(records.stream().filter(record -> String.valueOf(record.get("Name")).startsWith(run + "-"))).hasSize(230)
                .allSatisfy(record -> assertThat(record).containsKeys("id", "createdTime").doesNotContainKey("fields"));
        List<HubSpotStub.Received> pages = airtable.received().subList(before, airtable.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("GET " + CONTACTS)).toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.query()).contains("pageSize=100"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("offset="));
        // the last page has no offset; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
    }

    @Test
    void aTablesChangesArePolledByAFormulaOnTheirLastModifiedTime() {
        String run = run();
        String first = airtable.add("Leads", Map.of("Name", run + "-a", "Email", run + "a@example.com"));
        String second = airtable.add("Leads", Map.of("Name", run + "-b"));

        for (String lead : List.of(first, second)) {
            TestDatabase.awaitRowsOn(DATABASE, "SELECT name FROM pm_airtable_lead WHERE external_id = ?", lead);
        }
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT name, email FROM pm_airtable_lead WHERE external_id = ?", first))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("name", run + "-a")
                        .containsEntry("email", run + "a@example.com"));

        airtable.edit("Leads", first, Map.of("Name", run + "-a edited"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> (run + "-a edited").equals(TestDatabase.queryOn(DATABASE,
                "SELECT name FROM pm_airtable_lead WHERE external_id = ?", first).get(0).get("name")));
        // later polls ask from the watermark's instant, oldest change first
        assertThat(airtable.received("GET", LEADS)).anySatisfy(request -> assertThat(decoded(request.query()))
                .containsPattern("filterByFormula=NOT\\(IS_BEFORE\\(LAST_MODIFIED_TIME\\(\\), '[0-9T:.Z-]+'\\)\\)"));
        assertThat(airtable.received("GET", LEADS)).allSatisfy(request -> assertThat(decoded(request.query()))
                .contains("sort[0][field]=Modified").contains("sort[0][direction]=asc"));
        // each change of the run went into the inbox once
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE source_system = 'airtable' AND payload LIKE ?",
                "%" + run + "%")).hasSize(3);
    }
}
