package io.syncline.connector.harvest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HarvestStub;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.ProjectToolsStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Harvest time entries through {@code type: harvest} (the preset, and the harvest plug-in's creates and
 * ordered polls), against a stub of Harvest's API v2, with the state store on PostgreSQL: billing's time
 * logs reach Harvest as time entries of the system's project and task (created, updated, deleted), with
 * the bearer token, the account's {@code Harvest-Account-Id} and a {@code User-Agent}; Harvest's 429
 * waited out as its {@code Retry-After} says; its error body a dead letter's reason; every page of the
 * time entries pulled by {@code links.next}; the entries changed since the last poll ({@code updated_since})
 * taken into billing's table in the order of their {@code updated_at}, though Harvest lists them by
 * {@code spent_date}. Harvest sends no webhooks, so there are no signatures to accept or refuse: its
 * changes come by polling.
 *
 * <p>Harvest publishes no OpenAPI description of its API. The stub follows its reference pages
 * (help.getharvest.com/api-v2: Introduction → Overview, Authentication, Pagination, Rate limiting;
 * Timesheets API → Time Entries), and every request Harvest received is checked against the OpenAPI
 * description generated from those pages by jolicode/harvest-openapi-generator (MIT), committed whole
 * in this repository: the operation, its parameters and the body's schema.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(ProjectToolsStubResource.class)
class HarvestPresetTest {

    static final String DATABASE = ProjectToolsStubResource.DATABASE_URL;
    static final ApiDescription DESCRIPTION = ApiDescription.published("harvest/harvest-openapi.yaml");
    /** The pull's page size, under the preset's 100. */
    static final int PAGE = 90;

    HarvestStub harvest;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the token, the account and a User-Agent, and follows the description generated from Harvest's pages. */
    @AfterEach
    void everyRequestFollowsHarvestsReference() {
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(harvest.received()).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + ProjectToolsStubResource.HARVEST_TOKEN);
            assertThat(request.header("Harvest-Account-Id")).isEqualTo(ProjectToolsStubResource.HARVEST_ACCOUNT);
            assertThat(request.header("User-Agent")).isEqualTo("Syncline tests (ops@example.com)");
        });
        assertThat(DESCRIPTION.violations(harvest.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void timeLog(String id, String notes, double hours, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "notes", notes, "hours", hours,
                "spent_date", "2026-11-27"));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/billing/timelogs").then().statusCode(202);
    }

    static long entryId(String billingId) {
        return Long.parseLong((String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'timelog'"
                + " AND system = 'harvest' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'timelog'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id"));
    }

    static String lastStatus(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE source_system = 'billing'"
                + " AND record_key = ? AND status IN ('done', 'held', 'dead') ORDER BY id DESC", billingId).get(0).get("status");
    }

    static String run() {
        return "hv" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTimeLogIsCreatedAsAnEntryOfTheProjectsTaskThenUpdatedThenDeleted() {
        String id = run();
        int creates = harvest.received("POST", HarvestStub.TIME_ENTRIES).size();

        timeLog(id, "Implemented OAuth flow " + id, 2.0, false);
        long entry = entryId(id);
        assertThat(harvest.entry(entry)).containsEntry("notes", "Implemented OAuth flow " + id).containsEntry("spent_date", "2026-11-27")
                .containsEntry("project", Map.of("id", ProjectToolsStubResource.HARVEST_PROJECT, "name", "Online Store - Phase 1"));
        List<HubSpotStub.Received> posted = harvest.received("POST", HarvestStub.TIME_ENTRIES);
        assertThat(posted).hasSize(creates + 1);
        assertThat(posted.get(posted.size() - 1).json()).containsEntry("project_id", (int) ProjectToolsStubResource.HARVEST_PROJECT)
                .containsEntry("task_id", (int) ProjectToolsStubResource.HARVEST_TASK).containsEntry("spent_date", "2026-11-27")
                .containsKey("hours");

        timeLog(id, "Implemented OAuth flow and tests " + id, 3.5, false);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ("Implemented OAuth flow and tests " + id).equals(harvest.entry(entry).get("notes")));
        assertThat(harvest.received("PATCH", HarvestStub.TIME_ENTRIES + "/" + entry)).singleElement()
                .satisfies(update -> assertThat(update.json()).doesNotContainKeys("project_id", "task_id"));

        timeLog(id, "Implemented OAuth flow and tests " + id, 3.5, true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> harvest.entry(entry) == null);
        assertThat(harvest.received("DELETE", HarvestStub.TIME_ENTRIES + "/" + entry)).hasSize(1);
        assertThat(harvest.received("POST", HarvestStub.TIME_ENTRIES)).hasSize(creates + 1);
        assertThat(lastStatus(id)).isEqualTo("done");
    }

    @Test
    void harvestsRateLimitIsWaitedOutAsItsRetryAfterSaysAndTheWriteSentAgain() {
        String id = run();
        int before = harvest.received().size();
        harvest.rateLimitNext("POST", HarvestStub.TIME_ENTRIES);

        timeLog(id, "Rate limited " + id, 1.0, false);
        assertThat(harvest.entry(entryId(id))).containsEntry("notes", "Rate limited " + id);
        assertThat(lastStatus(id)).isEqualTo("done");

        List<HubSpotStub.Received> posts = harvest.received().subList(before, harvest.received().size()).stream()
                .filter(request -> request.method().equals("POST")).toList();
        assertThat(posts).hasSizeGreaterThan(1);
        assertThat(Duration.between(posts.get(0).at(), posts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void harvestsErrorIsADeadLetterNamingItsMessage() {
        String id = run();
        harvest.respondNext("POST", HarvestStub.TIME_ENTRIES, 422, HarvestStub.error("Task is not assigned to the project: " + id));

        timeLog(id, "Refused " + id, 1.0, false);
        assertThat(lastStatus(id)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "Refused " + id, "harvest rejected POST /v2/time_entries: 422 Task is not assigned"
                + " to the project: " + id);
    }

    @Test
    void aPullReadsEveryPageByItsLinksNext() throws Exception {
        String run = run();
        IntStream.range(0, 230).forEach(i -> harvest.add(ProjectToolsStubResource.HARVEST_PROJECT, ProjectToolsStubResource.HARVEST_TASK,
                LocalDate.of(2026, 1, 1).plusDays(i % 50), Map.of("notes", run + "-" + i), Instant.now()));
        int before = harvest.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("harvest").puller().pull(new PullRequest("timeentry", "harvest", model.systems().get("harvest"),
                model.entities().get("timeentry").mappings().get("harvest"), PAGE), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("notes")).startsWith(run))).hasSize(230);
        // the pull's pages, told apart by their size from the polls' of 100 meanwhile
        List<HubSpotStub.Received> pages = harvest.received().subList(before, harvest.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("GET " + HarvestStub.TIME_ENTRIES)
                        && request.query().contains("per_page=" + PAGE))
                .toList();
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("page="));
        // the last page's links.next is null; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / (double) PAGE));
    }

    /**
     * Entries listed by spent_date (newest first) are taken in the order of their updated_at: the
     * poll reads them all, then stores them oldest change first, and a later edit is polled from the
     * watermark by updated_since.
     */
    @Test
    void entriesChangedSinceTheLastPollAreTakenInTheOrderOfTheirChangeThoughListedBySpentDate() {
        String run = run();
        // after every other entry of the run, so that the watermark has not passed them
        Instant base = Instant.now().plus(Duration.ofDays(1));
        long project = ProjectToolsStubResource.HARVEST_PROJECT;
        long task = ProjectToolsStubResource.HARVEST_TASK;
        long first = harvest.add(project, task, LocalDate.of(2026, 3, 1), Map.of("notes", run + "-a", "hours", 1.0), base);
        long second = harvest.add(project, task, LocalDate.of(2026, 3, 3), Map.of("notes", run + "-b", "hours", 2.0), base.plusSeconds(1));
        long third = harvest.add(project, task, LocalDate.of(2026, 3, 2), Map.of("notes", run + "-c", "hours", 3.0), base.plusSeconds(2));

        for (long entry : List.of(first, second, third)) {
            TestDatabase.awaitRowsOn(DATABASE, "SELECT notes FROM pm_harvest_entry WHERE external_id = ?", Long.toString(entry));
        }
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT notes, hours FROM pm_harvest_entry WHERE external_id = ?", Long.toString(third)))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("notes", run + "-c")
                        .containsEntry("hours", new BigDecimal("3.00")));

        harvest.edit(first, Map.of("notes", run + "-a edited"), base.plusSeconds(10));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> (run + "-a edited").equals(TestDatabase.queryOn(DATABASE,
                "SELECT notes FROM pm_harvest_entry WHERE external_id = ?", Long.toString(first)).get(0).get("notes")));
        // later polls ask from the watermark's instant
        assertThat(harvest.received("GET", HarvestStub.TIME_ENTRIES))
                .anySatisfy(request -> assertThat(request.query()).contains("updated_since="));
        // each change of the run went into the inbox once
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE source_system = 'harvest' AND payload LIKE ?",
                "%" + run + "%")).hasSize(4);
    }
}
