package io.syncline.packaging;

import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.SyncLedger;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.WebhookSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A graceful stop with a backlog (issue 4): the packaged application is applying a backlog into a
 * billing table that takes a second per write when it gets SIGTERM, as Kubernetes sends it to a
 * pod it stops. It exits within seconds, well inside Kubernetes' 30 s grace period: the writes
 * in flight finish, a batch under way stops before its next event and is rolled back, and the
 * events claimed but not applied go back to the inbox (pending, no lease, their attempt not
 * counted) rather than being applied first. Started again, it applies every event exactly once.
 * Before the dispatcher claimed only what its workers' queue had room for, the stop waited for a
 * whole claimed batch to be applied: about 25 s here.
 *
 * <p>120 events: the first two batches (up to {@code max-events}, 16, each) are applied before
 * the stop, and more than half the backlog must be left for the next replica.
 *
 * <p>Runs alone among the integration tests: it times the application's stop.
 */
@Isolated
class GracefulStopIT {

    private static final int RECORDS = 60;
    private static final int VERSIONS = 2;
    private static final int WORKERS = 2;

    @Test
    void aStopWithABacklogEndsTheWritesInFlightAndHandsTheRestBack() throws Exception {
        long seed = Long.getLong("syncline.test.seed", System.nanoTime());
        String context = "GracefulStopIT seed " + seed;
        String url = TestDatabase.siblingUrl("_graceful_stop");
        TestDatabase.ensureDatabase(url, true);
        ContactEvents events = ContactEvents.generate(new Random(seed), "stop", RECORDS, VERSIONS);
        SyncLedger ledger = new SyncLedger(url, context);
        Map<String, String> environment = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "graceful-stop-it-password",
                "SYNCLINE_ROUTES_LOCATION", "routes",
                "SYNCLINE_INBOX_WORKERS", Integer.toString(WORKERS));

        PackagedApplication app = PackagedApplication.start("graceful-stop-it-0", environment, List.of("-Xmx256m"));
        try (WebhookSender sender = new WebhookSender(app.url(DemoWebhook.PATH))) {
            app.awaitReady(context);
            slowDownBillingWrites(url);
            CompletableFuture.allOf(events.deliveries().stream().map(sender::deliver).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            await(context + ": the first events applied").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> done(ledger) >= WORKERS);

            Duration stop = app.stop(Duration.ofSeconds(60));

            assertThat(stop).as("%s: time from SIGTERM to exit", context).isLessThan(Duration.ofSeconds(10));
            assertThat(ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE status = 'processing'"))
                    .as("%s: events left leased (claimed, neither applied nor handed back)", context).isZero();
            assertThat(ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'"))
                    .as("%s: the backlog left for the next replica", context).isGreaterThan(events.size() / 2);
            assertThat(ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending' AND attempts > 0"))
                    .as("%s: pending events whose claim was counted as an attempt", context).isZero();

            restoreBillingWrites(url);
            app = app.restart("graceful-stop-it-1");
            app.awaitReady(context);
            ledger.awaitDrained(Duration.ofSeconds(90));
            List<String> eventIds = events.all().stream().map(ContactEvents.ContactEvent::eventId).toList();
            assertThat(ledger.inboxStatus()).as("%s: inbox status per event", context)
                    .containsOnlyKeys(eventIds).allSatisfy((id, status) -> assertThat(status).isEqualTo("done"));
            ledger.assertAppliedExactlyOnce(sender.acknowledged());
            ledger.assertTargetHoldsNewest(events.newest());
        } finally {
            app.close();
        }
    }

    private static long done(SyncLedger ledger) {
        return ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE status = 'done'");
    }

    /** Every write to billing's table takes a second, as a slow or overloaded target would. */
    private static void slowDownBillingWrites(String url) throws SQLException {
        sql(url, "CREATE OR REPLACE FUNCTION graceful_stop_it_slow() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$");
        sql(url, "CREATE TRIGGER graceful_stop_it_slow BEFORE INSERT OR UPDATE ON demo_contact"
                + " FOR EACH ROW EXECUTE FUNCTION graceful_stop_it_slow()");
    }

    private static void restoreBillingWrites(String url) throws SQLException {
        sql(url, "DROP TRIGGER graceful_stop_it_slow ON demo_contact");
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection connection = TestDatabase.connect(url); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

}
