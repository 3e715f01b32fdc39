package io.syncline.packaging;

import io.restassured.response.Response;
import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.Ledgers;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.SyncLedger;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TestSeed;
import io.syncline.testsupport.WebhookSender;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the packaged application on one state store, as two pods behind one Service
 * (docs/deployment.md, "Several replicas on one state store"):
 * <ul>
 *   <li>a console login made on one replica is honoured by the other (one session key);</li>
 *   <li>webhook events posted to both in turn, several versions per record, are each applied to
 *       billing once, and billing ends with each record's newest version;</li>
 *   <li>a reconciliation scheduled every two seconds runs once per fire time, on one replica or
 *       the other;</li>
 *   <li>replica A is killed with SIGKILL while its inbox workers hold claimed events (they are
 *       held up on a lock of billing's table, which the test takes for that moment): every event
 *       A acknowledged is applied, and B applies A's claimed events once their lease has run out.</li>
 * </ul>
 * {@code -Dsyncline.test.seed=<seed>} replays the event stream and the kill point.
 */
class TwoReplicasIT {

    private static final int RECORDS = 40;
    private static final int VERSIONS = 8;
    private static final int LANES = 4;
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final String JOB = "replica-ledgers";
    private static final String ADMIN_PASSWORD = "replicas-it-admin-password";
    private static final String VIEWER_PASSWORD = "replicas-it-viewer-password";
    private static final String SESSION_KEY = "replicas-it-shared-console-session-key";

    @Test
    void twoReplicasShareTheInboxTheScheduleAndTheConsoleSessionAndOneTakesOverTheOthersClaims() throws Exception {
        TestSeed seed = TestSeed.of("TwoReplicasIT");
        String context = seed.context();
        String storeUrl = TestDatabase.siblingUrl("_two_replicas");
        String ledgerUrl = TestDatabase.siblingUrl("_two_replicas_ledger");
        TestDatabase.ensureDatabase(storeUrl, true);
        TestDatabase.ensureDatabase(ledgerUrl, true);
        Ledgers.create(ledgerUrl, 30, 30);
        Path routes = Ledgers.routes(ledgerUrl, JOB, "0/2 * * * * ?");
        ContactEvents events = ContactEvents.generate(seed.random(), "replica", RECORDS, VERSIONS);
        SyncLedger ledger = new SyncLedger(storeUrl, context);

        try (PackagedApplication a = PackagedApplication.start("two-replicas-it-a", environment(storeUrl, routes, "a"),
                List.of("-Xmx256m"));
                PackagedApplication b = PackagedApplication.start("two-replicas-it-b", environment(storeUrl, routes, "b"),
                        List.of("-Xmx256m"));
                WebhookSender sender = new WebhookSender(List.of(a.url(DemoWebhook.PATH), b.url(DemoWebhook.PATH)))) {
            a.awaitReady(context + " replica A");
            b.awaitReady(context + " replica B");
            Instant bothUp = Instant.now();

            aConsoleLoginOnOneReplicaIsHonouredByTheOther(a, b, context);

            CompletableFuture<Void> stream = sender.stream(events.deliveries(), LANES, Duration.ofMillis(100),
                    Duration.ofMillis(250), seed.random());
            int killPoint = events.size() / 4 + seed.random().nextInt(events.size() / 4);
            await(context + ": " + killPoint + " events acknowledged and three scheduled runs with both replicas up")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> sender.acknowledged().size() >= killPoint && scheduledRuns(storeUrl, bothUp).size() >= 3);

            // both schedulers are in the Quartz cluster, and each fire is acquired by one of them
            assertThat(TestDatabase.queryOn(storeUrl, "SELECT instance_name FROM qrtz_scheduler_state"))
                    .as("%s: Quartz schedulers checked in to the cluster", context).hasSize(2);

            // A's workers are held on billing's table with events claimed; A dies with them.
            Instant killedAt;
            Map<Long, Instant> claimedAtKill = new HashMap<>();
            try (Connection lock = TestDatabase.connect(storeUrl); Statement statement = lock.createStatement()) {
                lock.setAutoCommit(false);
                statement.execute("LOCK TABLE demo_contact IN EXCLUSIVE MODE");
                await(context + ": a worker of replica A waits on billing's table").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(20)).until(() -> ledger.count("SELECT COUNT(*) AS n FROM pg_stat_activity"
                                + " WHERE application_name = 'syncline-replica-a' AND wait_event_type = 'Lock'"
                                + " AND query ILIKE '%demo_contact%'") > 0);
                for (Map<String, Object> row : TestDatabase.queryOn(storeUrl,
                        "SELECT id, claimed_until FROM inbox WHERE status = 'processing'")) {
                    claimedAtKill.put((Long) row.get("id"), ((Timestamp) row.get("claimed_until")).toInstant());
                }
                killedAt = Instant.now();
                assertThat(a.kill()).as("%s: exit code of the killed replica A (137 = SIGKILL)", context).isEqualTo(137);
                lock.rollback();
            }
            Set<String> acknowledgedByA = sender.acknowledgedBy(a.url(DemoWebhook.PATH));

            // B applies its own claims as soon as the lock is gone; what is still processing halfway
            // through the lease was A's (claimed just before its worker blocked, so its lease has not run out).
            await().pollDelay(LEASE.dividedBy(2)).atMost(LEASE).until(() -> true);
            List<Long> orphaned = TestDatabase.queryOn(storeUrl, "SELECT id FROM inbox WHERE status = 'processing'").stream()
                    .map(row -> (Long) row.get("id")).filter(claimedAtKill::containsKey).sorted().toList();
            assertThat(orphaned).as("%s: events A had claimed, still waiting for their lease to end", context).isNotEmpty();

            stream.get(120, TimeUnit.SECONDS);
            ledger.awaitDrained(Duration.ofSeconds(60));

            // every event applied once, in order per record, whichever replica took it in or applied it
            ledger.assertStreamApplied(events, sender.acknowledged());
            assertThat(acknowledgedByA).as("%s: events replica A acknowledged before it was killed", context).isNotEmpty();
            assertThat(sender.acknowledgedBy(b.url(DemoWebhook.PATH))).as("%s: events replica B acknowledged", context)
                    .isNotEmpty();

            // A's claimed events were applied by B, which claimed them again once their lease had run out
            for (long id : orphaned) {
                Map<String, Object> row = TestDatabase.queryOn(storeUrl,
                        "SELECT status, attempts, finished_at FROM inbox WHERE id = ?", id).get(0);
                assertThat(row.get("status")).as("%s: status of A's claimed event %d", context, id).isEqualTo("done");
                assertThat((Integer) row.get("attempts")).as("%s: claims of A's claimed event %d", context, id)
                        .isGreaterThanOrEqualTo(2);
                assertThat(((Timestamp) row.get("finished_at")).toInstant())
                        .as("%s: A's claimed event %d finished after its lease ended", context, id)
                        .isAfterOrEqualTo(claimedAtKill.get(id));
            }

            // one run per fire time: none twice, and none skipped while both replicas were up
            List<Map<String, Object>> runs = scheduledRuns(storeUrl, bothUp);
            assertThat(runs.stream().map(run -> run.get("scheduled_at")).distinct().count())
                    .as("%s: one run per fire time: %s", context, runs).isEqualTo(runs.size());
            List<Instant> beforeKill = runs.stream().map(TwoReplicasIT::scheduledAt).filter(at -> at.isBefore(killedAt)).toList();
            assertThat(beforeKill).as("%s: fire times with both replicas up", context).hasSizeGreaterThanOrEqualTo(3);
            for (int i = 1; i < beforeKill.size(); i++) {
                assertThat(Duration.between(beforeKill.get(i - 1), beforeKill.get(i)))
                        .as("%s: runs follow the two-second cron without a gap: %s", context, runs).isEqualTo(Duration.ofSeconds(2));
            }
            // (a run A had started when it was killed is marked failed, as abandoned, by a later run)
            assertThat(runs).as("%s: runs with both replicas up", context)
                    .filteredOn(run -> scheduledAt(run).isBefore(killedAt.minusSeconds(3)))
                    .allSatisfy(run -> assertThat(run.get("status")).isEqualTo("ok"));
            assertThat(runs.stream().map(run -> run.get("instance_id")).distinct().count())
                    .as("%s: Quartz instances that ran the schedule", context).isBetween(1L, 2L);

            assertThat(b.get("/q/health/ready")).as("%s: readiness of replica B", context).isEqualTo(200);
            System.out.printf("%s: %d events (%d acknowledged by A before its kill, %d claimed by A at the kill), %d POSTs"
                    + " unanswered, %d acknowledged as duplicates; %d scheduled runs on %d replicas; audit %s%n",
                    context, events.size(), acknowledgedByA.size(), orphaned.size(), sender.unanswered(),
                    sender.acknowledgedAsDuplicate().size(), runs.size(),
                    runs.stream().map(run -> run.get("instance_id")).distinct().count(), ledger.auditActions());
        }
    }

    /** Logs in on one replica, then uses the session cookie on the other, both ways round. */
    private static void aConsoleLoginOnOneReplicaIsHonouredByTheOther(PackagedApplication a, PackagedApplication b,
            String context) {
        for (List<Object> pair : List.of(List.of(a, b, "viewer", VIEWER_PASSWORD), List.of(b, a, "admin", ADMIN_PASSWORD))) {
            PackagedApplication loggedIn = (PackagedApplication) pair.get(0);
            PackagedApplication other = (PackagedApplication) pair.get(1);
            Response login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("j_username", pair.get(2)).formParam("j_password", pair.get(3))
                    .when().post(loggedIn.url("/j_security_check"));
            assertThat(login.statusCode()).as("%s: login of %s", context, pair.get(2)).isEqualTo(302);
            String session = login.getCookie("syncline-console");
            assertThat(session).as("%s: session cookie of %s", context, pair.get(2)).isNotBlank();

            given().redirects().follow(false).cookie("syncline-console", session).when().get(other.url("/console/dead-letters"))
                    .then().statusCode(200);
            Response anonymous = given().redirects().follow(false).when().get(other.url("/console/dead-letters"));
            assertThat(anonymous.statusCode()).as("%s: the same page without the session", context).isEqualTo(302);
            assertThat(anonymous.header("Location")).as("%s: where the page without the session sends", context)
                    .endsWith("/console/login");
        }
    }

    private static Map<String, String> environment(String storeUrl, Path routes, String replica) {
        String separator = storeUrl.contains("?") ? "&" : "?";
        return Map.ofEntries(
                // the replica's name on its database sessions, so that the test can tell A's from B's
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", storeUrl + separator + "ApplicationName=syncline-replica-" + replica),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", TestDatabase.user()),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password()),
                Map.entry("SYNCLINE_ADMIN_PASSWORD", ADMIN_PASSWORD),
                Map.entry("SYNCLINE_VIEWER_PASSWORD", VIEWER_PASSWORD),
                Map.entry("SYNCLINE_CONSOLE_SESSION_KEY", SESSION_KEY),
                Map.entry("SYNCLINE_ROUTES_LOCATION", routes.toString()),
                Map.entry("SYNCLINE_INBOX_LEASE", LEASE.toSeconds() + "s"),
                Map.entry("LEDGER_DB_USER", TestDatabase.user()));
    }

    private static List<Map<String, Object>> scheduledRuns(String storeUrl, Instant after) {
        return TestDatabase.queryOn(storeUrl, "SELECT scheduled_at, instance_id, status FROM reconciliation_run"
                + " WHERE job = ? AND scheduled_at > ? ORDER BY scheduled_at", JOB, Timestamp.from(after));
    }

    private static Instant scheduledAt(Map<String, Object> run) {
        return ((Timestamp) run.get("scheduled_at")).toInstant();
    }
}
