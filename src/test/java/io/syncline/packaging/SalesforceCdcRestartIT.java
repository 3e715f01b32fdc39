package io.syncline.packaging;

import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.SalesforceCdcBilling;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real restart of a Change Data Capture from an org (src/test/resources/salesforce-cdc-routes):
 * the packaged application captures the org's contacts into billing's table and is stopped; while
 * none runs, the org publishes two more events; a new process, which knows nothing but the state
 * store, subscribes after the replay id the first one stored, so both events are applied once and
 * the first event is not read again. A replay position that were not stored would lose them: a
 * fresh process subscribes for new events only. Likewise the reconciliation an overflow asks for
 * is kept in the store, and a process that dies before its run ended leaves it to the next one.
 */
class SalesforceCdcRestartIT {

    private static final String CHANNEL = "/data/ContactChangeEvent";
    /** What the routes name as the org's address, written over with the stub's. */
    private static final String PLACEHOLDER = "http://salesforce.stub.invalid";

    @Test
    void aCaptureStartedInANewProcessResumesAfterTheStoredReplayId() throws Exception {
        String url = billing("_salesforce_cdc_restart");
        try (SalesforceStub org = org()) {
            Path routes = routes(org);
            PackagedApplication app = PackagedApplication.start("salesforce-cdc-restart-it-0", environment(url, routes),
                    List.of("-Xmx256m"));
            try {
                app.awaitReadyOrClose("SalesforceCdcRestartIT");
                awaitSubscribed(org, 0);
                String first = org.create("Contact", Map.of("Email", "grace@example.com", "LastName", "Hopper"));
                await("the first event applied").atMost(Duration.ofSeconds(60))
                        .until(() -> "Hopper".equals(lastName(url, first)));
                String stored = storedPosition(url);
                assertThat(stored).isNotNull();

                app.stop(Duration.ofSeconds(60));
                // published while no process captures
                org.edit("Contact", first, Map.of("LastName", "Hopper-Edited"));
                String second = org.create("Contact", Map.of("Email", "katherine@example.com", "LastName", "Johnson"));
                int subscriptions = org.subscriptions().size();

                app = app.restart("salesforce-cdc-restart-it-1");
                app.awaitReady("SalesforceCdcRestartIT after the restart");
                awaitSubscribed(org, subscriptions);
                await("the events published while stopped applied").atMost(Duration.ofSeconds(60))
                        .until(() -> "Johnson".equals(lastName(url, second)) && "Hopper-Edited".equals(lastName(url, first)));

                // the new process subscribed after the stored replay id, which it could only read from the store
                assertThat(org.subscriptions().subList(subscriptions, org.subscriptions().size()))
                        .contains(Map.of("channel", CHANNEL, "replayId", Long.parseLong(stored)));
                assertThat(count(url, "SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc' AND record_key = ?", first))
                        .isEqualTo(2);
                assertThat(count(url, "SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc' AND record_key = ?", second))
                        .isEqualTo(1);
                assertThat(count(url, "SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND target_id = ?"
                        + " AND action = 'created'", first)).isEqualTo(1);
                assertThat(Long.parseLong(storedPosition(url))).isGreaterThan(Long.parseLong(stored));
            } finally {
                app.close();
                RouteFolders.delete(routes);
            }
        }
    }

    /**
     * The reconciliation an overflow asks for outlives the process that read it: that process dies
     * while the run waits for the org's query; the request, stored with the overflow's position and
     * claimed by a replica now gone from the cluster, is run by the next process and marked done.
     */
    @Test
    void aLostChangesReconciliationCutShortByADeadProcessRunsInTheNextOne() throws Exception {
        String url = billing("_salesforce_cdc_resync");
        try (SalesforceStub org = org()) {
            Path routes = routes(org);
            PackagedApplication app = PackagedApplication.start("salesforce-cdc-resync-it-0", environment(url, routes),
                    List.of("-Xmx256m"));
            try {
                app.awaitReadyOrClose("SalesforceCdcRestartIT");
                awaitSubscribed(org, 0);
                org.holdQueries();
                long overflow = org.publishOverflow("Contact");
                String reason = "%position " + overflow + " (overflow)%";
                await("the reconciliation claimed, its pull waiting for the org").atMost(Duration.ofSeconds(60))
                        .until(() -> org.heldQueries.get() > 0 && count(url, "SELECT count(*) AS n FROM capture_resync"
                                + " WHERE reason LIKE ? AND claimed_by IS NOT NULL AND done_at IS NULL", reason) == 1);

                app.kill();
                org.releaseQueries();
                app = app.restart("salesforce-cdc-resync-it-1");
                app.awaitReady("SalesforceCdcRestartIT after the restart");
                // the dead process leaves the Quartz cluster once it has missed its check-ins
                await("the request run by the new process").atMost(Duration.ofSeconds(120))
                        .until(() -> count(url, "SELECT count(*) AS n FROM capture_resync WHERE reason LIKE ? AND done_at IS NOT NULL",
                                reason) == 1);

                List<Map<String, Object>> runs = TestDatabase.queryOn(url, "SELECT r.id, r.status, r.reasons, r.instance_id,"
                        + " c.run_id, c.claimed_by FROM reconciliation_run r LEFT JOIN capture_resync c ON c.run_id = r.id"
                        + " WHERE r.requested_by LIKE ? ORDER BY r.id", reason);
                assertThat(runs).hasSize(2);
                // the first process's run, abandoned, answers nothing
                assertThat(runs.get(0).get("status")).isEqualTo("failed");
                assertThat((String) runs.get(0).get("reasons")).startsWith("abandoned");
                assertThat(runs.get(0).get("run_id")).isNull();
                assertThat(runs.get(1).get("status")).isNotIn("running", "failed");
                assertThat(runs.get(1).get("run_id")).isEqualTo(runs.get(1).get("id"));
                assertThat(runs.get(1).get("claimed_by")).isEqualTo(runs.get(1).get("instance_id"))
                        .isNotEqualTo(runs.get(0).get("instance_id"));
            } finally {
                app.close();
                RouteFolders.delete(routes);
            }
        }
    }

    /** A fresh database at the sibling URL ending in {@code suffix}, with billing's tables. */
    private static String billing(String suffix) throws Exception {
        String url = TestDatabase.siblingUrl(suffix);
        TestDatabase.ensureDatabase(url, true);
        try (Connection connection = TestDatabase.connect(url)) {
            SalesforceCdcBilling.createTables(connection);
        }
        return url;
    }

    private static SalesforceStub org() throws Exception {
        SalesforceStub org = new SalesforceStub();
        org.fields("Contact", "Email", "LastName");
        org.changeDataCapture("Contact");
        org.streamingHold(Duration.ofSeconds(1));
        return org;
    }

    private static Path routes(SalesforceStub org) throws Exception {
        return RouteFolders.copyWithAddress(Path.of("src/test/resources/salesforce-cdc-routes"), PLACEHOLDER, org.baseUrl());
    }

    private static Map<String, String> environment(String url, Path routes) {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "salesforce-cdc-restart-it-password",
                "SYNCLINE_ROUTES_LOCATION", routes.toString(),
                "SF_CLIENT_ID", SalesforceStub.CLIENT_ID,
                "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET);
    }

    private static void awaitSubscribed(SalesforceStub org, int from) {
        await("subscribed to " + CHANNEL).atMost(Duration.ofSeconds(60)).until(() -> org.subscriptions().subList(from,
                org.subscriptions().size()).stream().anyMatch(subscription -> CHANNEL.equals(subscription.get("channel"))));
    }

    private static String lastName(String url, String id) {
        List<Map<String, Object>> rows = TestDatabase.queryOn(url, "SELECT last_name FROM sf_cdc_billing_contact WHERE sf_id = ?", id);
        return rows.isEmpty() ? null : (String) rows.get(0).get("last_name");
    }

    private static String storedPosition(String url) {
        List<Map<String, Object>> rows = TestDatabase.queryOn(url, "SELECT position FROM change_stream_position"
                + " WHERE system_name = 'sfdc' AND stream = ?", CHANNEL);
        return rows.isEmpty() ? null : (String) rows.get(0).get("position");
    }

    private static long count(String url, String sql, Object... parameters) {
        return ((Number) TestDatabase.queryOn(url, sql, parameters).get(0).get("n")).longValue();
    }
}
