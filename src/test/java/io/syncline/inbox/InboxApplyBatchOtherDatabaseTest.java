package io.syncline.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.ErpOnMariaDbProfile;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A JDBC apply route from the template whose target is another database than the state store's
 * (here: the Quickstart's contacts applied to an ERP on MariaDB) applies a backlog in batches:
 * each batch's rows are written in a transaction of its own on MariaDB, committed with the batch.
 * A batch with an event MariaDB refuses is rolled back on both databases, and its events are
 * applied one at a time, each row written once. Readiness names a route id listed in
 * syncline.inbox.apply-batch.routes that no route has.
 */
@QuarkusTest
@TestProfile(ErpOnMariaDbProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class InboxApplyBatchOtherDatabaseTest {

    @Inject
    MeterRegistry meters;

    private double batched(String outcome) {
        return InboxBacklog.batchedEvents(meters, outcome);
    }

    private static List<Map<String, Object>> contacts(String run, int count) {
        return IntStream.range(0, count).<Map<String, Object>>mapToObj(i -> new HashMap<>(Map.of("id", run + "-" + i,
                "email", run + "-" + i + "@example.com", "lastName", "Batched"))).toList();
    }

    private static List<Map<String, Object>> erpRows(String run) {
        return MariaDbTestDatabase.query("SELECT count(*) AS n, count(DISTINCT customer_no) AS distinct_keys FROM "
                + MariaDbTargetResource.TABLE + " WHERE customer_no LIKE ?", run + "-%");
    }

    @Test
    void aBacklogForAnotherDatabaseIsAppliedInBatchesEachRowWrittenOnce() {
        String run = "other-" + UUID.randomUUID().toString().substring(0, 8);
        double committed = batched("committed");
        double rolledBack = batched("rolled_back");

        List<Long> ids = InboxBacklog.store("erp", contacts(run, 16));
        DemoWebhook.awaitDrained(run);

        assertThat(batched("committed") - committed).isEqualTo(16);
        assertThat(batched("rolled_back") - rolledBack).isZero();
        assertThat(TestDatabase.query("SELECT status, count(*) AS n FROM inbox WHERE id = ANY(?) GROUP BY status",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("status", "done", "n", 16L));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM audit_log WHERE inbox_id = ANY(?) AND action = 'created'",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("n", 16L));
        assertThat(erpRows(run)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("n", 16L).containsEntry("distinct_keys", 16L));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'syncline-apply-batches' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'syncline-apply-batches' }.data['route.contact-crm-to-erp']", equalTo("batched"))
                .body("checks.find { it.name == 'syncline-apply-batches' }.data['route.demo-contacts-aply']",
                        equalTo("no route has this id: not batched"));
    }

    @Test
    void aBatchWithARowTheOtherDatabaseRefusesIsRolledBackThereAndItsCompanionsApplyAlone() {
        String run = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        double committed = batched("committed");
        double rolledBack = batched("rolled_back");
        List<Map<String, Object>> backlog = contacts(run, 16);
        // longer than the ERP's last_name column (VARCHAR(200)): MariaDB refuses the row
        backlog.get(5).put("lastName", "x".repeat(300));

        List<Long> ids = InboxBacklog.store("erp", backlog);
        DemoWebhook.awaitDrained(run);

        // the bad event's batch was rolled back, its other rows with it, and applied one at a time
        assertThat(batched("rolled_back") - rolledBack).isPositive();
        assertThat(batched("committed") - committed + batched("rolled_back") - rolledBack).isEqualTo(16);
        assertThat(TestDatabase.query("SELECT status, count(*) AS n FROM inbox WHERE id = ANY(?) GROUP BY status ORDER BY status",
                (Object) ids.toArray(Long[]::new)))
                .containsExactly(Map.of("status", "dead", "n", 1L), Map.of("status", "done", "n", 15L));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM dead_letter WHERE inbox_id = ?", ids.get(5)))
                .containsExactly(Map.of("n", 1L));
        assertThat(erpRows(run)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("n", 15L).containsEntry("distinct_keys", 15L));
        assertThat(MariaDbTestDatabase.query("SELECT count(*) AS n FROM " + MariaDbTargetResource.TABLE
                + " WHERE customer_no = ?", run + "-5")).containsExactly(Map.of("n", 0L));
    }
}
