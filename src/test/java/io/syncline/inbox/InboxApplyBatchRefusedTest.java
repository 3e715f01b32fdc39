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
 * A JDBC apply route from the template that writes outside the state store's transaction (here:
 * the Quickstart's contacts applied to an ERP on MariaDB) is refused a batch
 * before its first write: the batch is rolled back, its events are applied one at a time, each
 * written to MariaDB once, and the route's later events are not batched at all. Readiness says so,
 * and names a route id listed in syncline.inbox.apply-batch.routes that no route has.
 */
@QuarkusTest
@TestProfile(InboxApplyBatchRefusedTest.MisspeltRouteListed.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class InboxApplyBatchRefusedTest {

    /** Lists an id no route has. */
    public static class MisspeltRouteListed extends ErpOnMariaDbProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("syncline.inbox.apply-batch.routes", "demo-contacts-aply");
            return config;
        }
    }

    @Inject
    MeterRegistry meters;

    private double batched(String outcome) {
        return InboxBacklog.batchedEvents(meters, outcome);
    }

    private static List<Map<String, Object>> contacts(String run, int count) {
        return IntStream.range(0, count).<Map<String, Object>>mapToObj(i -> Map.of("id", run + "-" + i,
                "email", run + "-" + i + "@example.com", "lastName", "Refused")).toList();
    }

    @Test
    void aRouteWritingAnotherDatabaseIsAppliedOneEventAtATimeEachWrittenOnce() {
        String run = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        double committed = batched("committed");
        double rolledBack = batched("rolled_back");

        List<Long> first = InboxBacklog.store("erp", contacts(run + "-a", 16));
        DemoWebhook.awaitDrained(run + "-a");
        // the claim was chunked before the first refusal: every chunk of it was refused
        assertThat(batched("rolled_back") - rolledBack).isEqualTo(16);

        List<Long> second = InboxBacklog.store("erp", contacts(run + "-b", 16));
        DemoWebhook.awaitDrained(run + "-b");
        assertThat(batched("rolled_back") - rolledBack).as("no batch for the route any more").isEqualTo(16);
        assertThat(batched("committed") - committed).isZero();

        for (List<Long> ids : List.of(first, second)) {
            assertThat(TestDatabase.query("SELECT status, count(*) AS n FROM inbox WHERE id = ANY(?) GROUP BY status",
                    (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("status", "done", "n", 16L));
            assertThat(TestDatabase.query("SELECT count(*) AS n FROM audit_log WHERE inbox_id = ANY(?) AND action = 'created'",
                    (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("n", 16L));
        }
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'syncline-apply-batches' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'syncline-apply-batches' }.data['route.contact-crm-to-erp']",
                        equalTo("one event at a time: it wrote outside the state store's transaction"))
                .body("checks.find { it.name == 'syncline-apply-batches' }.data['route.demo-contacts-aply']",
                        equalTo("no route has this id: not batched"));
        assertThat(MariaDbTestDatabase.query("SELECT count(*) AS n, count(DISTINCT customer_no) AS distinct_keys FROM "
                + MariaDbTargetResource.TABLE + " WHERE customer_no LIKE ?", run + "-%"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("n", 32L).containsEntry("distinct_keys", 32L));
    }
}
