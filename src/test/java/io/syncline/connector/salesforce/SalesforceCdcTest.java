package io.syncline.connector.salesforce;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.AlertRuleSeries;
import io.syncline.testsupport.SalesforceCdcBilling;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change Data Capture from an org (src/test/resources/salesforce-cdc-routes): the org's contacts
 * reach billing's PostgreSQL table through {@code /data/ContactChangeEvent}, read by Camel's
 * Streaming API consumer from the stub's CometD endpoint; each event's replay id is stored with its
 * inbox events, and a capture started again resumes right after it. The org's accounts and cases
 * are captured too, each contact and case naming its account in billing by billing's own code.
 */
@QuarkusTest
@WithTestResource(value = SalesforceStubResource.class, initArgs = {
        @ResourceArg(name = SalesforceStubResource.ROUTES, value = "src/test/resources/salesforce-cdc-routes"),
        @ResourceArg(name = SalesforceStubResource.DATABASE, value = "_salesforce_cdc"),
        @ResourceArg(name = SalesforceStubResource.CHANGE_DATA_CAPTURE, value = "Contact,Account,Case"),
        @ResourceArg(name = SalesforceStubResource.ALERTS, value = "true")})
class SalesforceCdcTest {

    private static final String DATABASE = TestDatabase.siblingUrl("_salesforce_cdc");
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final String CAPTURE = "contact_sfdc";
    /** The advisory lock a replica holds while it runs the capture (io.syncline.capture.CaptureLock): "SYNC", the capture's name. */
    private static final int LOCK_NAMESPACE = 0x53594e43;

    SalesforceStub salesforce;
    SlackStub slack;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE)) {
            SalesforceCdcBilling.createTables(connection);
        }
    }

    /**
     * Waits for what reaches the store. Camel's streaming client may throw on its own threads while
     * the org ends a session and the capture connects anew; those are not the test's failures.
     */
    private static ConditionFactory within(Duration duration) {
        return await().atMost(duration).dontCatchUncaughtExceptions();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static long count(String sql, Object... parameters) {
        return (Long) query(sql, parameters).get(0).get("n");
    }

    private static String lastName(String id) {
        List<Map<String, Object>> rows = query("SELECT last_name FROM sf_cdc_billing_contact WHERE sf_id = ?", id);
        return rows.isEmpty() ? null : (String) rows.get(0).get("last_name");
    }

    private static String storedPosition() {
        List<Map<String, Object>> rows = query("SELECT position FROM change_stream_position WHERE system_name = 'sfdc' AND stream = ?",
                CHANNEL);
        return rows.isEmpty() ? null : (String) rows.get(0).get("position");
    }

    private static String captureHealth() {
        return given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'syncline-captures' }.data['capture." + CAPTURE + "']");
    }

    private void awaitCapturing() {
        within(Duration.ofSeconds(60)).until(() -> String.valueOf(captureHealth()).startsWith("capturing"));
        // subscribed: the stub has been asked for the channel
        within(Duration.ofSeconds(30)).until(() -> salesforce.subscriptions().stream()
                .anyMatch(subscription -> CHANNEL.equals(subscription.get("channel"))));
    }

    @Test
    void createUpdateAndDeleteInTheOrgReachBilling() {
        awaitCapturing();
        String id = salesforce.create("Contact", Map.of("Email", "Ada@Example.com", "LastName", "Lovelace"));
        within(Duration.ofSeconds(30)).until(() -> "Lovelace".equals(lastName(id)));
        assertThat(query("SELECT email FROM sf_cdc_billing_contact WHERE sf_id = ?", id)).containsExactly(Map.of("email", "ada@example.com"));

        salesforce.edit("Contact", id, Map.of("LastName", "King"));
        within(Duration.ofSeconds(30)).until(() -> "King".equals(lastName(id)));

        salesforce.delete("Contact", id);
        within(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM sf_cdc_billing_contact WHERE sf_id = ?", id) == 0);

        // one inbox event per change, named by the channel, the replay id and the record; created and updated
        // records fetched from the org (notices), the deletion carried as one
        List<Map<String, Object>> events = query("SELECT event_id, origin, status FROM inbox WHERE source_system = 'sfdc'"
                + " AND record_key = ? ORDER BY id", id);
        assertThat(events).extracting(event -> event.get("origin")).containsExactly("notice", "notice", "webhook");
        assertThat(events).allSatisfy(event -> {
            assertThat((String) event.get("event_id")).matches("cdc:" + CHANNEL + ":\\d+:" + id);
            assertThat(event.get("status")).isEqualTo("done");
        });
        assertThat(query("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND target_id = ?", id))
                .containsExactly(Map.of("n", 3L));
        String last = (String) events.get(2).get("event_id");
        assertThat(Long.parseLong(storedPosition())).isGreaterThanOrEqualTo(Long.parseLong(last.split(":")[2]));
        assertThat(captureHealth()).contains("stored up to position");
    }

    /**
     * The capture stops after event 1 is stored (its replica loses its lock, and another replica,
     * here the test, holds it), event 2 is published while no one captures, and the capture takes
     * its lock back in the same process: it subscribes after the stored replay id, so event 2 is
     * stored and applied once and event 1 is not read again. A restart in a new process, which has
     * only the store to go by: SalesforceCdcRestartIT.
     */
    @Test
    void aLockHandedOverBetweenTwoEventsLosesNoneAndAppliesNoneTwice() throws Exception {
        awaitCapturing();
        String first = salesforce.create("Contact", Map.of("Email", "grace@example.com", "LastName", "Hopper"));
        within(Duration.ofSeconds(30)).until(() -> "Hopper".equals(lastName(first)));
        String afterFirst = storedPosition();

        int subscriptions = salesforce.subscriptions().size();
        try (Connection standby = TestDatabase.connect(DATABASE)) {
            takeCaptureLock(standby);

            salesforce.edit("Contact", first, Map.of("LastName", "Hopper-Edited"));
            String second = salesforce.create("Contact", Map.of("Email", "katherine@example.com", "LastName", "Johnson"));
            // nobody captures while the test holds the lock: nothing is read of either change
            Throughout.holds(await().dontCatchUncaughtExceptions(), "no capture while the lock is held elsewhere",
                    Duration.ofSeconds(2), () -> {
                        assertThat(count("SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc' AND record_key = ?", second))
                                .as("inbox events of the contact created meanwhile").isZero();
                        assertThat(storedPosition()).as("the stored replay id").isEqualTo(afterFirst);
                    });

            releaseCaptureLock(standby);
            within(Duration.ofSeconds(30)).until(() -> "Johnson".equals(lastName(second))
                    && "Hopper-Edited".equals(lastName(first)));
            assertThat(salesforce.subscriptions().subList(subscriptions, salesforce.subscriptions().size()))
                    .contains(Map.of("channel", CHANNEL, "replayId", Long.parseLong(afterFirst)));
            assertThat(count("SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc' AND record_key = ?", first)).isEqualTo(2);
            assertThat(count("SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc' AND record_key = ?", second)).isEqualTo(1);
            assertThat(count("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND target_id = ? AND action = 'created'",
                    first)).isEqualTo(1);
            assertThat(count("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND target_id = ?", second)).isEqualTo(1);
        }
        awaitResubscribed(subscriptions);
    }

    /**
     * The capture's lock taken from the replica that holds it (its session ended) and held on
     * {@code standby}: the replica stands by, and no one captures until {@link #releaseCaptureLock}.
     */
    private static void takeCaptureLock(Connection standby) throws Exception {
        int key = CAPTURE.hashCode();
        try (PreparedStatement end = standby.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
                + " WHERE locktype = 'advisory' AND classid = ? AND objid = ?");
                PreparedStatement take = standby.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            end.setLong(1, LOCK_NAMESPACE);
            end.setLong(2, key & 0xffffffffL);
            end.execute();
            take.setInt(1, LOCK_NAMESPACE);
            take.setInt(2, key);
            take.execute();
        }
        within(Duration.ofSeconds(30)).until(() -> String.valueOf(captureHealth()).startsWith("standby"));
    }

    /**
     * Waits until every capture has subscribed again since the {@code from}th subscription: the
     * session that {@link #takeCaptureLock} ends carries the org's streaming client of the other
     * captures too, which start again reading new changes only, so a change made before they
     * subscribe would not reach them.
     */
    private void awaitResubscribed(int from) {
        within(Duration.ofSeconds(30)).until(() -> salesforce.subscriptions().subList(from, salesforce.subscriptions().size())
                .stream().map(subscription -> subscription.get("channel")).toList()
                .containsAll(List.of(CHANNEL, "/data/AccountChangeEvent", "/data/CaseChangeEvent")));
    }

    private static void releaseCaptureLock(Connection standby) throws Exception {
        try (PreparedStatement release = standby.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            release.setInt(1, LOCK_NAMESPACE);
            release.setInt(2, CAPTURE.hashCode());
            release.execute();
        }
    }

    /** The alert notifier's messages of the contacts' capture stopped, in {@code status}. */
    private long captureStoppedTold(String status) {
        return told("SynclineCaptureStopped", status);
    }

    /** The alert notifier's messages of {@code alert} about the contacts' capture, in {@code status}. */
    private long told(String alert, String status) {
        return slack.messages.stream().filter(message -> alert.equals(message.get("alert")) && status.equals(message.get("status"))
                && "contact".equals(message.get("entity")) && "sfdc".equals(message.get("system"))).count();
    }

    /** {@code syncline_capture_lag_seconds} of the contacts' capture, as this replica exports it. */
    private static double contactsLag() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher lag = Pattern.compile("(?m)^syncline_capture_lag_seconds\\{entity=\"contact\",system=\"sfdc\"} (\\S+)$").matcher(metrics);
        return lag.find() ? Double.parseDouble(lag.group(1)) : Double.NaN;
    }

    /**
     * An org that publishes its contacts' changes two minutes after they commit: the capture reads
     * them that late, past syncline.alerts.capture-lag (60 s here), and is told as lagging once;
     * a change published on time brings the lag back under the bound, and the alert resolves.
     */
    @Test
    void aCaptureReadingChangesLateIsToldAsLaggingUntilOneComesOnTime() {
        awaitCapturing();
        long firing = told("SynclineCaptureLagging", "firing");
        long resolved = told("SynclineCaptureLagging", "resolved");
        salesforce.publishingDelay(Duration.ofMinutes(2));
        try {
            String late = salesforce.create("Contact", Map.of("Email", "late@example.com", "LastName", "Late"));
            within(Duration.ofSeconds(30)).until(() -> "Late".equals(lastName(late)));
            assertThat(contactsLag()).as("the contacts' capture lag, in seconds").isBetween(120.0, 180.0);
            within(Duration.ofSeconds(30)).until(() -> told("SynclineCaptureLagging", "firing") > firing);
        } finally {
            salesforce.publishingDelay(Duration.ZERO);
        }
        String onTime = salesforce.create("Contact", Map.of("Email", "on-time@example.com", "LastName", "OnTime"));
        within(Duration.ofSeconds(30)).until(() -> "OnTime".equals(lastName(onTime)));
        assertThat(contactsLag()).as("the contacts' capture lag, in seconds").isLessThan(60.0);
        within(Duration.ofSeconds(30)).until(() -> told("SynclineCaptureLagging", "resolved") > resolved);
        assertThat(told("SynclineCaptureLagging", "firing")).isEqualTo(firing + 1);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(AlertRuleSeries.assertExported(metrics, AlertRuleSeries.CAPTURES_ONLY)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCaptureNoReplicaReadsIsStoppedUntilOneReadsItAgain() throws Exception {
        awaitCapturing();
        // a capture slow to start after the application is told and resolved before the test begins
        within(Duration.ofSeconds(30)).until(() -> captureStoppedTold("firing") <= captureStoppedTold("resolved"));
        long firing = captureStoppedTold("firing");
        long resolved = captureStoppedTold("resolved");
        int subscriptions = salesforce.subscriptions().size();
        try (Connection standby = TestDatabase.connect(DATABASE)) {
            takeCaptureLock(standby);
            // nothing reads the org's contacts now: past syncline.alerts.capture-stopped (6 s) it is told once
            within(Duration.ofSeconds(30)).until(() -> captureStoppedTold("firing") > firing);
            assertThat(captureStoppedTold("firing")).isEqualTo(firing + 1);
            assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                    .contains("syncline_source_silent{entity=\"contact\",kind=\"capture\",system=\"sfdc\"} 1.0");
            releaseCaptureLock(standby);
        }
        within(Duration.ofSeconds(30)).until(() -> captureStoppedTold("resolved") > resolved);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("syncline_source_silent{entity=\"contact\",kind=\"capture\",system=\"sfdc\"} 0.0");
        awaitResubscribed(subscriptions);
    }

    @Test
    void aGapEventsRecordsAreFetchedFromTheOrg() throws Exception {
        awaitCapturing();
        String id = salesforce.create("Contact", Map.of("Email", "mary@example.com", "LastName", "Jackson"));
        within(Duration.ofSeconds(30)).until(() -> "Jackson".equals(lastName(id)));
        try (Connection connection = TestDatabase.connect(DATABASE);
                PreparedStatement drift = connection.prepareStatement("UPDATE sf_cdc_billing_contact SET last_name = 'Drifted' WHERE sf_id = ?")) {
            drift.setString(1, id);
            drift.executeUpdate();
        }
        long gap = salesforce.publishGap("Contact", "GAP_UPDATE", id);

        within(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc'"
                + " AND event_id = ? AND status = 'done'", "cdc:" + CHANNEL + ":" + gap + ":" + id) == 1);
        assertThat(query("SELECT origin FROM inbox WHERE event_id = ?", "cdc:" + CHANNEL + ":" + gap + ":" + id))
                .containsExactly(Map.of("origin", "notice"));
        assertThat(salesforce.calls("GET", "/sobjects/Contact/" + id)).isNotEmpty();
    }

    /**
     * The check before the first event ({@code GET /admin/check}) reads the org's Change Data Capture
     * selection with the Tooling API: an object taken out of it is named with the setting to change,
     * as the capture would receive nothing.
     */
    @Test
    void theCheckNamesACapturedObjectLeftOutOfChangeDataCapture() {
        salesforce.fields("Case", "Subject", "AccountId");
        salesforce.stopChangeDataCapture("Case");
        try {
            io.restassured.path.json.JsonPath broken = checkReport();
            assertThat(broken.getString("systems.find { it.system == 'sfdc' }.status")).isEqualTo("FAILED");
            assertThat(broken.getString(sfdcStep("change data capture Case", "detail")))
                    .isEqualTo("Case's changes are not published on ChangeEvents: the capture would receive nothing");
            assertThat(broken.getString(sfdcStep("change data capture Case", "fix")))
                    .isEqualTo("select Case in Setup > Integrations > Change Data Capture");
            assertThat(broken.getString(sfdcStep("change data capture Contact", "detail")))
                    .isEqualTo("ContactChangeEvent is selected on ChangeEvents");
            assertThat(broken.getString(sfdcStep("object Case (ticket)", "outcome"))).isEqualTo("PASSED");
        } finally {
            salesforce.changeDataCapture("Case");
        }
        io.restassured.path.json.JsonPath fixed = checkReport();
        assertThat(fixed.getString("systems.find { it.system == 'sfdc' }.status")).isEqualTo("PASSED");
        assertThat(fixed.getString("systems.find { it.system == 'billing' }.status")).isEqualTo("PASSED");
    }

    private static io.restassured.path.json.JsonPath checkReport() {
        return given().auth().preemptive().basic("admin", "test-only-password").when().get("/admin/check")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String sfdcStep(String check, String part) {
        return "systems.find { it.system == 'sfdc' }.checks.find { it.check == '" + check + "' }." + part;
    }

    /** The overflow delivered twice, as the stream may, starts one reconciliation. */
    @Test
    void anOverflowStartsAReconciliationOfTheEntityWithTheOrg() {
        awaitCapturing();
        long overflow = salesforce.publishOverflow("Contact");
        salesforce.redeliver("Contact", overflow);
        // a later change, stored only after both deliveries of the overflow were read
        String id = salesforce.create("Contact", Map.of("Email", "hedy@example.com", "LastName", "Lamarr"));
        within(Duration.ofSeconds(60)).until(() -> "Lamarr".equals(lastName(id)));

        within(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM reconciliation_run"
                + " WHERE job = 'contacts-sfdc-billing' AND requested_by LIKE ? AND status <> 'running'",
                "%position " + overflow + " (overflow)%") >= 1);
        // a second run would be queued behind the first: none follows it
        Throughout.holds(await().dontCatchUncaughtExceptions(), "one reconciliation per overflow", Duration.ofSeconds(3),
                () -> assertThat(count("SELECT count(*) AS n FROM reconciliation_run WHERE job = 'contacts-sfdc-billing'"
                        + " AND requested_by LIKE ?", "%position " + overflow + " (overflow)%")).isEqualTo(1));
        assertThat(Long.parseLong(storedPosition())).isGreaterThan(overflow);
    }

    /**
     * Lost-changes requests are kept in the store until a run answered them: requests of a job one
     * replica claimed wait while that replica is in the Quartz cluster; once it left the cluster (it
     * died before its run ended), this replica takes them, with a request recorded meanwhile, and
     * answers both with one run.
     */
    @Test
    void aRequestWhoseReplicaLeftTheClusterIsRunByALiveOne() {
        String replica = "replica-gone-" + System.nanoTime();
        String scheduler = (String) query("SELECT sched_name FROM qrtz_scheduler_state LIMIT 1").get(0).get("sched_name");
        // the other replica, checking in as a live one does (within the hour it says it may take)
        TestDatabase.updateOn(DATABASE, "INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time,"
                + " checkin_interval) VALUES (?, ?, ?, ?)", scheduler, replica, System.currentTimeMillis(), 3_600_000L);
        String claimed = "capture " + CAPTURE + ": " + CHANNEL + " lost changes at position 1 (overflow), claimed by " + replica;
        String waiting = "capture " + CAPTURE + ": " + CHANNEL + " lost changes at position 2 (overflow), recorded after the claim";
        try {
            TestDatabase.updateOn(DATABASE, "INSERT INTO capture_resync (job, entity, system_name, reason, requested_at, claimed_by,"
                    + " claimed_at) VALUES ('contacts-sfdc-billing', 'contact', 'sfdc', ?, now(), ?, now())", claimed, replica);
            TestDatabase.updateOn(DATABASE, "INSERT INTO capture_resync (job, entity, system_name, reason, requested_at)"
                    + " VALUES ('contacts-sfdc-billing', 'contact', 'sfdc', ?, now())", waiting);

            Throughout.holds(await().dontCatchUncaughtExceptions(), "the live replica's claim is left to it", Duration.ofSeconds(8),
                    () -> assertThat(count("SELECT count(*) AS n FROM capture_resync WHERE reason IN (?, ?) AND done_at IS NULL"
                            + " AND claimed_by IS NOT DISTINCT FROM CASE WHEN reason = ? THEN ? END", claimed, waiting, claimed,
                            replica)).isEqualTo(2));
        } finally {
            // the other replica leaves the cluster, as Quartz records one found to have stopped checking in
            TestDatabase.updateOn(DATABASE, "DELETE FROM qrtz_scheduler_state WHERE instance_name = ?", replica);
        }

        within(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM capture_resync WHERE reason IN (?, ?)"
                + " AND done_at IS NOT NULL", claimed, waiting) == 2);
        List<Map<String, Object>> answered = query("SELECT DISTINCT c.run_id, c.run_status, r.status, r.requested_by, r.instance_id"
                + " FROM capture_resync c JOIN reconciliation_run r ON r.id = c.run_id WHERE c.reason IN (?, ?)", claimed, waiting);
        assertThat(answered).hasSize(1);
        Map<String, Object> run = answered.get(0);
        assertThat(run.get("run_status")).isEqualTo(run.get("status")).isNotEqualTo("running");
        assertThat(run.get("instance_id")).isNotEqualTo(replica);
        assertThat((String) run.get("requested_by")).matches("capture " + CAPTURE + ": .* lost changes at position [12] \\(overflow\\).*")
                .contains("and 1 more lost-changes requests of the job");
    }

    /**
     * A change from billing is written into the org; the org publishes it as a change event, which
     * comes back through the capture as an echo and is dropped: billing is not written again, nor the org.
     */
    @Test
    void syncLinesOwnWritesComeBackAsEchoesAndGoNoFurther() throws Exception {
        awaitCapturing();
        String id = salesforce.create("Contact", Map.of("Email", "annie@example.com", "LastName", "Easley"));
        within(Duration.ofSeconds(30)).until(() -> "Easley".equals(lastName(id)));
        int events = salesforce.changeEvents().size();

        // billing's own change, and its webhook
        try (Connection connection = TestDatabase.connect(DATABASE);
                PreparedStatement change = connection.prepareStatement("UPDATE sf_cdc_billing_contact SET last_name = 'Easley-Billing' WHERE sf_id = ?")) {
            change.setString(1, id);
            change.executeUpdate();
        }
        given().contentType("application/json").body(Map.of("sf_id", id, "email", "annie@example.com", "last_name", "Easley-Billing"))
                .post("/webhooks/billing/contacts").then().statusCode(202);
        within(Duration.ofSeconds(30)).until(() -> salesforce.records("Contact").stream()
                .anyMatch(record -> id.equals(record.get("Id")) && "Easley-Billing".equals(record.get("LastName"))));
        // the org's event of Syncline's own write is read, fetched, and recognised
        within(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc'"
                + " AND source_id = ? AND action = 'echo'", id) == 1);
        assertThat(salesforce.changeEvents()).hasSize(events + 1);
        assertThat(salesforce.calls("PATCH", "/sobjects/Contact/" + id)).hasSize(1);
        assertThat(count("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND source_id = ?"
                + " AND action IN ('created', 'updated')", id)).isEqualTo(1);
        assertThat(lastName(id)).isEqualTo("Easley-Billing");
    }

    /**
     * A contact naming its account by the lookup ({@code AccountId}, the org's Id) and a case naming
     * it by the account's External ID field ({@code Account: {Ext_Id__c: …}}), both captured before
     * the account itself: each waits for it, visibly, and once the account's change is captured
     * names billing's own code of it, found through the ID map, neither the org's Id nor its number.
     */
    @Test
    void aContactAndACaseCapturedBeforeTheirAccountWaitForItThenNameBillingsAccount() {
        awaitCapturing();
        within(Duration.ofSeconds(30)).until(() -> salesforce.subscriptions().stream().map(subscription -> subscription.get("channel"))
                .toList().containsAll(List.of("/data/AccountChangeEvent", "/data/CaseChangeEvent")));
        String account = "001Sy" + Long.toString(System.nanoTime(), 36).toUpperCase(java.util.Locale.ROOT);
        String number = "AE-" + account.substring(account.length() - 6);
        // in the org before Syncline hears of it: no change event of the account yet
        salesforce.records("Account", List.of(Map.of("Id", account, "Name", "Analytical Engines", "Ext_Id__c", number)));
        String contact = salesforce.create("Contact", Map.of("Email", "charles@example.com", "LastName", "Babbage",
                "AccountId", account));
        String ticket = salesforce.create("Case", Map.of("Subject", "The difference engine jams", "AccountId", account));

        within(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM inbox WHERE source_system = 'sfdc'"
                + " AND record_key IN (?, ?) AND status = 'pending' AND last_error LIKE 'waiting for parent: %'", contact, ticket) == 2);
        assertThat(query("SELECT last_error FROM inbox WHERE source_system = 'sfdc' AND record_key = ? AND status = 'pending'",
                contact)).singleElement().extracting(row -> (String) row.get("last_error")).asString()
                .contains("contact.account names account " + account + " of sfdc");
        // the case names its account by a value the ID map does not hold: the account synced with it, once there is one
        assertThat(query("SELECT last_error FROM inbox WHERE source_system = 'sfdc' AND record_key = ? AND status = 'pending'",
                ticket)).singleElement().extracting(row -> (String) row.get("last_error")).asString()
                .contains("ticket.account names account " + number + " of sfdc by Ext_Id__c");
        assertThat(count("SELECT count(*) AS n FROM sf_cdc_billing_contact WHERE sf_id = ?", contact)).isZero();

        salesforce.edit("Account", account, Map.of("Name", "Analytical Engines Ltd"));
        String code = account.toLowerCase(java.util.Locale.ROOT);
        within(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count("SELECT count(*) AS n FROM sf_cdc_billing_contact"
                + " WHERE sf_id = ?", contact) + count("SELECT count(*) AS n FROM sf_cdc_billing_ticket WHERE sf_id = ?", ticket))
                .as(() -> "billing's contact and case; their events: " + query("SELECT entity, record_key, status, last_error"
                        + " FROM inbox WHERE source_system = 'sfdc' AND record_key IN (?, ?, ?)", contact, ticket, account))
                .isEqualTo(2));
        assertThat(query("SELECT code, name, number FROM sf_cdc_billing_account WHERE code = ?", code))
                .containsExactly(Map.of("code", code, "name", "Analytical Engines Ltd", "number", number));
        assertThat(query("SELECT account_code FROM sf_cdc_billing_contact WHERE sf_id = ?", contact))
                .containsExactly(Map.of("account_code", code));
        assertThat(query("SELECT subject, account_code FROM sf_cdc_billing_ticket WHERE sf_id = ?", ticket))
                .containsExactly(Map.of("subject", "The difference engine jams", "account_code", code));
        assertThat(count("SELECT count(*) AS n FROM dead_letter")).isZero();
        assertThat(count("SELECT count(*) AS n FROM review_item")).isZero();
    }

    @Test
    void anEndedSessionLogsInAgainAndTheStreamGoesOn() {
        awaitCapturing();
        int logins = salesforce.logins.size();
        salesforce.expireSessions();
        String id = salesforce.create("Contact", Map.of("Email", "dorothy@example.com", "LastName", "Vaughan"));
        within(Duration.ofSeconds(60)).until(() -> "Vaughan".equals(lastName(id)));
        assertThat(salesforce.logins.size()).isGreaterThan(logins);
    }
}
