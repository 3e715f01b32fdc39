package io.syncline.reconcile;

import io.syncline.testsupport.Ledgers;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the packaged application on one state store, one reconciliation scheduled
 * every two seconds: each fire time is answered by exactly one run. Then both stop across
 * several fire times; the replica that comes back runs the job once, not once per missed fire.
 */
class ScheduledReconciliationClusterIT {

    private static Map<String, String> environment(String storeUrl, Path routes) {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", storeUrl,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "cluster-it-password",
                "SYNCLINE_ROUTES_LOCATION", routes.toString(),
                "LEDGER_DB_USER", TestDatabase.user(),
                // a fire more than 1 s late counts as missed, so that the misfire policy shows within seconds
                "QUARKUS_QUARTZ_MISFIRE_THRESHOLD", "1s");
    }

    private static List<Map<String, Object>> runs(String storeUrl) {
        return TestDatabase.queryOn(storeUrl, "SELECT scheduled_at, instance_id, status FROM reconciliation_run"
                + " WHERE job = 'ledger-every-2s' ORDER BY scheduled_at");
    }

    private static String body(PackagedApplication application, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(application.url(path))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Exchanges the replica's schedule route completed, from its Prometheus metrics. */
    private static double fires(PackagedApplication application) throws Exception {
        return body(application, "/q/metrics").lines()
                .filter(line -> line.startsWith("camel_exchanges_total{") && line.contains("routeId=\"reconcile-ledger-every-2s-schedule\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static Instant at(Map<String, Object> run) {
        return ((java.sql.Timestamp) run.get("scheduled_at")).toInstant();
    }

    @Test
    void twoReplicasRunEachScheduledFireOnceAndATakeoverRunsOnceNotOncePerMissedFire() throws Exception {
        String storeUrl = TestDatabase.siblingUrl("_reconcile_cluster");
        String ledgerUrl = TestDatabase.siblingUrl("_reconcile_cluster_ledger");
        TestDatabase.ensureDatabase(storeUrl, true);
        TestDatabase.ensureDatabase(ledgerUrl, true);
        Ledgers.create(ledgerUrl, 50, 49);
        Path routes = Ledgers.routes(ledgerUrl, "ledger-every-2s", "0/2 * * * * ?");

        Instant stopped;
        try (PackagedApplication first = PackagedApplication.start("reconcile-cluster-1", environment(storeUrl, routes), List.of());
                PackagedApplication second = PackagedApplication.start("reconcile-cluster-2", environment(storeUrl, routes), List.of())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> first.get("/q/health/ready") == 200 && second.get("/q/health/ready") == 200);
            Instant bothUp = Instant.now();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> runs(storeUrl).stream()
                    .filter(run -> at(run).isAfter(bothUp)).count() >= 6);

            // The schedule is a Camel route from a quartz: endpoint on every replica, counted in its
            // route metrics (and covered by the camel-routes health check, which would name it DOWN);
            // the fires went through it on one replica or the other.
            for (PackagedApplication replica : List.of(first, second)) {
                assertThat(body(replica, "/q/metrics")).contains("routeId=\"reconcile-ledger-every-2s-schedule\"");
            }
            assertThat(fires(first) + fires(second)).as("exchanges of the schedule route on both replicas").isGreaterThanOrEqualTo(6);
        }
        // Both are down only now: a replica shutting down gracefully may still fire (seconds, on a slow machine).
        stopped = Instant.now();

        List<Map<String, Object>> whileClustered = runs(storeUrl);
        assertThat(whileClustered.stream().map(run -> run.get("scheduled_at")).distinct().count())
                .as("one run per fire time: %s", whileClustered).isEqualTo(whileClustered.size());
        assertThat(whileClustered).allSatisfy(run -> assertThat(run.get("status")).isEqualTo("ok"));
        assertThat(TestDatabase.queryOn(storeUrl, "SELECT only_in_a, equal_records FROM reconciliation_run"
                + " WHERE job = 'ledger-every-2s' ORDER BY id DESC LIMIT 1"))
                .containsExactly(Map.of("only_in_a", 1L, "equal_records", 49L));

        // Both replicas down across several fire times, then one comes back.
        await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> true);
        Instant restarted = Instant.now();
        try (PackagedApplication again = PackagedApplication.start("reconcile-cluster-3", environment(storeUrl, routes), List.of())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> runs(storeUrl).stream()
                    .filter(run -> at(run).isAfter(restarted)).count() >= 2);
        }
        List<Map<String, Object>> missed = runs(storeUrl).stream()
                .filter(run -> {
                    Instant at = at(run);
                    return at.isAfter(stopped.plusSeconds(2)) && at.isBefore(restarted);
                }).toList();
        assertThat(missed).as("fire times missed while down are not replayed").isEmpty();
        List<Map<String, Object>> all = runs(storeUrl);
        assertThat(all.stream().map(run -> run.get("scheduled_at")).distinct().count()).isEqualTo(all.size());
    }
}
