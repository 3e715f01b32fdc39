package io.syncline.packaging;

import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoTarget;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.PostgresServer;
import io.syncline.testsupport.SyncLedger;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.WebhookSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Outages in the middle of a stream (issue 4, must show 3), on the packaged application with a
 * fresh database each: the target unreachable for a while and the state store's connections
 * cut; and PostgreSQL itself stopped and started again. Among the events are a few the model
 * must reject (a phone number that is none). Afterwards nothing acknowledged is lost, the only
 * dead letters are those rejected events (with the reason), the backlog has drained, readiness
 * is UP again, and every answer other than 202 the senders got was a JSON 503 with Retry-After.
 *
 * <p>Runs alone among the integration tests: it restarts the shared PostgreSQL server.
 */
@Isolated
class OutageRecoveryIT {

    private static final int RECORDS = 40;
    private static final int VERSIONS = 5;
    private static final int REJECTED = 4;

    @Test
    void nothingIsLostWhileTheTargetIsDownAndTheStoreConnectionsAreCut() throws Exception {
        try (Stream stream = new Stream("outage_target")) {
            // The billing table goes away for a while: events are retried, none dead-lettered.
            stream.awaitAcknowledged(0.2);
            DemoTarget.takeDown(stream.url);
            await(stream.context + ": events fail and are retried while the target is down").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> stream.ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE status IN ('pending', 'processing')"
                            + " AND attempts >= 4 AND last_error LIKE '%demo_contact%'") > 0);
            stream.awaitAcknowledged(0.45);
            DemoTarget.bringBack(stream.url);

            // Every connection the application holds to its state store is cut, as a failover would.
            stream.awaitAcknowledged(0.6);
            long cut = stream.ledger.count("SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
            assertThat(cut).as("%s: the application's connections cut", stream.context).isPositive();

            stream.finishAndCheck();
        }
    }

    @Test
    void nothingIsLostWhenPostgresRestartsMidStream() throws Exception {
        assumeTrue(PostgresServer.restartAllowed(), "PostgreSQL restart skipped: it stops and starts the whole server at "
                + "127.0.0.1:5432, which other tests and people share; set " + PostgresServer.RESTART_SWITCH
                + "=true to run it (.ci/run does)");
        try (Stream stream = new Stream("outage_restart")) {
            stream.awaitAcknowledged(0.4);
            PostgresServer.stop();
            try {
                // While the server is down: a clear JSON 503 (not a hang, not HTML), and the service stays up.
                HttpResponse<String> probe = stream.post(ContactEvents.badPhone("probe").json(), "probe-while-down");
                assertThat(probe.statusCode()).as("%s: answer while PostgreSQL is down: %s", stream.context, probe.body())
                        .isEqualTo(503);
                assertThat(probe.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                assertThat(probe.headers().firstValue("Retry-After")).isPresent();
                assertThat(probe.body()).contains("\"error\":\"store_unavailable\"");
                assertThat(stream.app.get("/q/health/live")).as("%s: liveness while PostgreSQL is down", stream.context)
                        .isEqualTo(200);
                await(stream.context + ": readiness reports the store DOWN").atMost(Duration.ofSeconds(30))
                        .until(() -> stream.app.get("/q/health/ready") == 503);
            } finally {
                PostgresServer.start(stream.url);
            }
            assertThat(stream.ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE event_id = 'probe-while-down'"))
                    .as("%s: the event answered 503 was not stored", stream.context).isZero();
            stream.finishAndCheck();
        }
    }

    /** The application on a fresh database, a stream of events at it, and the checks at the end. */
    private static final class Stream implements AutoCloseable {

        final String url;
        final String context;
        final SyncLedger ledger;
        final PackagedApplication app;
        private final ContactEvents events;
        private final List<WebhookSender.Event> rejected = new ArrayList<>();
        private final List<WebhookSender.Event> deliveries;
        private final WebhookSender sender;
        private final CompletableFuture<Void> delivered;

        Stream(String name) throws Exception {
            long seed = Long.getLong("syncline.test.seed", System.nanoTime());
            Random random = new Random(seed);
            context = "OutageRecoveryIT " + name + " seed " + seed + " (replay with -Dsyncline.test.seed=" + seed + ")";
            url = TestDatabase.siblingUrl("_" + name);
            TestDatabase.ensureDatabase(url, true);
            ledger = new SyncLedger(url, context);
            events = ContactEvents.generate(random, name, RECORDS, VERSIONS);
            deliveries = new ArrayList<>(events.deliveries());
            for (int i = 0; i < REJECTED; i++) {
                WebhookSender.Event bad = ContactEvents.badPhone(name + "-rejected-" + i);
                rejected.add(bad);
                deliveries.add(random.nextInt(deliveries.size() + 1), bad);
            }
            // Retries every second at most, 40 of them: outages of half a minute heal without a dead letter.
            app = PackagedApplication.start("outage-recovery-it-" + name,
                    PackagedApplication.outageEnvironment(url, "outage-it-password", 40), List.of("-Xmx256m"));
            app.awaitReadyOrClose(context);
            sender = new WebhookSender(app.url(DemoWebhook.PATH));
            delivered = sender.stream(deliveries, 4, Duration.ofMillis(40), Duration.ofMillis(160), random);
        }

        void awaitAcknowledged(double share) {
            sender.awaitAcknowledged((int) (deliveries.size() * share), context);
        }

        HttpResponse<String> post(String json, String eventId) throws Exception {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(app.url(DemoWebhook.PATH))).timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "application/json").header("X-Event-Id", eventId)
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        void finishAndCheck() throws Exception {
            delivered.get(120, TimeUnit.SECONDS);
            ledger.awaitDrained(Duration.ofSeconds(60));
            app.awaitReady(context);

            List<String> all = deliveries.stream().map(WebhookSender.Event::id).toList();
            List<String> bad = rejected.stream().map(WebhookSender.Event::id).toList();
            List<String> good = events.all().stream().map(ContactEvents.ContactEvent::eventId).toList();
            assertThat(sender.acknowledged()).as("%s: acknowledged events", context).containsExactlyInAnyOrderElementsOf(all);
            assertThat(ledger.inboxStatus()).as("%s: inbox status per event", context).containsOnlyKeys(all)
                    .allSatisfy((id, status) -> assertThat(status).as("%s: status of %s", context, id)
                            .isEqualTo(bad.contains(id) ? "dead" : "done"));
            ledger.assertAppliedExactlyOnce(good);
            ledger.assertTargetHoldsNewest(events.newest());

            List<Map<String, Object>> deadLetters = TestDatabase.queryOn(url, "SELECT i.event_id, d.reason FROM dead_letter d"
                    + " LEFT JOIN inbox i ON i.id = d.inbox_id ORDER BY d.id");
            assertThat(deadLetters).as("%s: dead letters (only the rejected events, once each)", context)
                    .extracting(row -> row.get("event_id")).containsExactlyInAnyOrderElementsOf(bad);
            assertThat(deadLetters).allSatisfy(row -> assertThat((String) row.get("reason")).as("%s: dead-letter reason", context)
                    .contains("contact.phone from crm: '12ab' is not a phone number"));
            assertThat(ledger.auditActions()).as("%s: audit actions", context).doesNotContainKey("held")
                    .containsEntry("failed", (long) REJECTED);

            sender.assertOtherAnswersAreStoreUnavailable(context);
            System.out.printf("%s: %d events (%d rejected); %d POSTs unanswered, %d answered 503; audit %s%n", context,
                    deliveries.size(), REJECTED, sender.unanswered(), sender.otherAnswers().size(), ledger.auditActions());
        }

        @Override
        public void close() throws Exception {
            sender.close();
            try {
                DemoTarget.bringBack(url);
            } finally {
                app.close();
            }
        }
    }
}
