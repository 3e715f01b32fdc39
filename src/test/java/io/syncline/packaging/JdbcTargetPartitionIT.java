package io.syncline.packaging;

import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.FaultProxy;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.SyncLedger;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import io.syncline.testsupport.WebhookSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One target's database cut off while another's works, on the packaged application: CRM
 * contacts go to billing on PostgreSQL (in the state store), CRM customers to an ERP on MariaDB
 * reached through a {@link FaultProxy} (src/test/resources/two-targets-routes). The ERP is
 * partitioned for 30 s in the middle of both streams: billing's events keep their rate, readiness
 * names the ERP unreachable (and stays UP: one target away must not stop the others), and once
 * the partition heals the ERP's events are applied, each once, the newest version of each record
 * in its table.
 *
 * <p>Runs alone among the integration tests: it times a partition's bounds, and recreates the shared MariaDB database.
 */
@Isolated
class JdbcTargetPartitionIT {

    private static final String CUSTOMERS_PATH = "/webhooks/erp/customers";
    private static final int RECORDS = 50;
    private static final int VERSIONS = 4;
    private static final Duration PARTITION = Duration.ofSeconds(30);
    /** The audit actions that decide an event for a target: exactly one per event and target. */
    private static final String DECIDED = "('created', 'updated', 'unchanged', 'skipped-stale')";

    @Test
    void billingKeepsItsRateWhileTheErpIsPartitionedAndTheErpCatchesUpAfter() throws Exception {
        long seed = Long.getLong("syncline.test.seed", System.nanoTime());
        Random random = new Random(seed);
        String context = "JdbcTargetPartitionIT seed " + seed + " (replay with -Dsyncline.test.seed=" + seed + ")";
        String url = TestDatabase.siblingUrl("_target_partition");
        TestDatabase.ensureDatabase(url, true);
        SyncLedger ledger = new SyncLedger(url, context);
        Map<String, String> erp = new MariaDbTargetResource().start();
        ContactEvents contacts = ContactEvents.generate(random, "pg", RECORDS, VERSIONS);
        ContactEvents customers = ContactEvents.generate(random, "erp", RECORDS, VERSIONS);

        try (FaultProxy proxy = FaultProxy.before(erp.get("ERP_DB_URL"))) {
            Map<String, String> environment = new HashMap<>(
                    PackagedApplication.outageEnvironment(url, "target-partition-it-password", 60));
            environment.put("SYNCLINE_ROUTES_LOCATION", "src/test/resources/two-targets-routes");
            environment.put("ERP_DB_URL", proxy.route(erp.get("ERP_DB_URL")));
            environment.put("ERP_DB_USER", erp.get("ERP_DB_USER"));
            environment.put("ERP_DB_PASSWORD", erp.get("ERP_DB_PASSWORD"));
            PackagedApplication app = PackagedApplication.start("jdbc-target-partition-it", environment, List.of("-Xmx256m"));
            app.awaitReadyOrClose(context, proxy);
            try (WebhookSender toBilling = new WebhookSender(app.url(DemoWebhook.PATH));
                    WebhookSender toErp = new WebhookSender(app.url(CUSTOMERS_PATH))) {
                // about three events a second each, so that both streams outlast the partition
                CompletableFuture<Void> billingStream = toBilling.stream(contacts.deliveries(), 2, Duration.ofMillis(400),
                        Duration.ofMillis(800), random);
                CompletableFuture<Void> erpStream = toErp.stream(customers.deliveries(), 2, Duration.ofMillis(400),
                        Duration.ofMillis(800), random);

                toBilling.awaitAcknowledged(contacts.size() / 5, context);
                Instant before = Instant.now();
                // billing's rate before the partition: 10 s of both streams going on
                Throughout.holds(await().pollInterval(Duration.ofMillis(500)), context + ": both streams before the partition",
                        Duration.ofSeconds(10), () -> {
                            assertThat(billingStream).as("%s: billing's stream", context).isNotDone();
                            assertThat(erpStream).as("%s: the ERP's stream", context).isNotDone();
                            assertThat(app.get("/q/health/live")).as("%s: liveness", context).isEqualTo(200);
                        });
                Instant cut = Instant.now();
                proxy.partition();
                await(context + ": readiness names the ERP unreachable").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> readiness(app).matches("(?s).*\"system\\.erp\"\\s*:\\s*\"unreachable.*"));
                // the rest of the partition: readiness stays UP and names the ERP unreachable, liveness stays UP
                Throughout.holds(await().pollInterval(Duration.ofMillis(500)), context + ": health with the ERP away",
                        PARTITION.minus(Duration.between(cut, Instant.now())), () -> {
                            assertThat(app.get("/q/health/ready")).as("%s: readiness with the ERP away", context).isEqualTo(200);
                            assertThat(readiness(app)).as("%s: readiness with the ERP away", context)
                                    .containsPattern("\"system\\.erp\"\\s*:\\s*\"unreachable");
                            assertThat(app.get("/q/health/live")).as("%s: liveness with the ERP away", context).isEqualTo(200);
                        });
                Instant healed = Instant.now();
                proxy.heal();

                double rateBefore = appliedPerSecond(url, "contact", before, cut);
                double rateDuring = appliedPerSecond(url, "contact", cut, healed);
                long erpDuring = applied(url, "customer", cut.plusSeconds(15), healed);
                System.out.printf("%s: billing applied %.2f events/s before the partition, %.2f during it;"
                        + " the ERP %d in its second half%n", context, rateBefore, rateDuring, erpDuring);
                assertThat(rateBefore).as("%s: billing's rate before the partition", context).isPositive();
                assertThat(rateDuring).as("%s: billing's rate during the ERP's partition, against %.2f/s before", context,
                        rateBefore).isGreaterThanOrEqualTo(rateBefore * 0.6);
                assertThat(erpDuring).as("%s: ERP events applied while it was cut off", context).isZero();

                billingStream.get(120, TimeUnit.SECONDS);
                erpStream.get(120, TimeUnit.SECONDS);
                ledger.awaitDrained(Duration.ofSeconds(60));
                await(context + ": readiness names the ERP reachable again").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> readiness(app).matches("(?s).*\"system\\.erp\"\\s*:\\s*\"reachable\".*"));

                assertThat(toBilling.acknowledged()).as("%s: contacts acknowledged", context)
                        .containsExactlyInAnyOrderElementsOf(ids(contacts));
                assertThat(toErp.acknowledged()).as("%s: customers acknowledged", context)
                        .containsExactlyInAnyOrderElementsOf(ids(customers));
                assertThat(TestDatabase.queryOn(url, "SELECT event_id, status FROM inbox WHERE status <> 'done'"))
                        .as("%s: events not applied", context).isEmpty();
                ledger.assertAppliedExactlyOnce(ids(contacts));
                ledger.assertTargetHoldsNewest(contacts.newest());
                assertAppliedOnceToErp(url, customers, context);
                assertThat(TestDatabase.queryOn(url, "SELECT id FROM dead_letter")).as("%s: dead letters", context).isEmpty();
            } finally {
                app.close();
            }
        }
    }

    private static List<String> ids(ContactEvents events) {
        return events.all().stream().map(ContactEvents.ContactEvent::eventId).toList();
    }

    /** Each customer event decided once for the ERP; erp_contact holds each record's newest version. */
    private static void assertAppliedOnceToErp(String url, ContactEvents customers, String context) {
        Map<String, Long> decisions = new HashMap<>();
        for (Map<String, Object> row : TestDatabase.queryOn(url, "SELECT event_key, COUNT(*) AS n FROM audit_log"
                + " WHERE target_system = 'erp' AND action IN " + DECIDED + " GROUP BY event_key")) {
            decisions.put((String) row.get("event_key"), ((Number) row.get("n")).longValue());
        }
        assertThat(decisions.keySet()).as("%s: customer events decided for the ERP", context)
                .containsExactlyInAnyOrderElementsOf(ids(customers).stream().map(id -> "event:" + id).toList());
        assertThat(decisions).as("%s: audit rows per customer event (more than one = applied twice)", context)
                .allSatisfy((key, rows) -> assertThat(rows).as("%s: audit rows of %s", context, key).isEqualTo(1L));
        Map<String, Object> firstNames = new HashMap<>();
        for (Map<String, Object> row : MariaDbTestDatabase.query("SELECT customer_no, first_name FROM "
                + MariaDbTargetResource.TABLE)) {
            firstNames.put((String) row.get("customer_no"), row.get("first_name"));
        }
        Map<String, Object> newest = new HashMap<>();
        customers.newest().forEach(event -> newest.put(event.recordId(), event.firstName()));
        assertThat(firstNames).as("%s: the ERP's rows, each record's newest first name", context).isEqualTo(newest);
    }

    private static double appliedPerSecond(String url, String entity, Instant from, Instant to) {
        return applied(url, entity, from, to) * 1000.0 / Duration.between(from, to).toMillis();
    }

    private static long applied(String url, String entity, Instant from, Instant to) {
        return ((Number) TestDatabase.queryOn(url, "SELECT COUNT(*) AS n FROM inbox WHERE entity = ? AND status = 'done'"
                + " AND finished_at >= ? AND finished_at < ?", entity, Timestamp.from(from), Timestamp.from(to))
                .get(0).get("n")).longValue();
    }

    private static String readiness(PackagedApplication app) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url("/q/health/ready")))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
