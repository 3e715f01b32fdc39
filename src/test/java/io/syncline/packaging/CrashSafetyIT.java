package io.syncline.packaging;

import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.SyncLedger;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TestSeed;
import io.syncline.testsupport.WebhookSender;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety (issue 4, must show 2): the packaged application, run as a separate process on a
 * fresh database, is killed with SIGKILL at random instants while senders stream webhook events
 * at it, and started again each time. Senders retry a POST that got no answer, as real webhook
 * senders do; an event counts as acknowledged once its 202 came back. Afterwards every
 * acknowledged event was applied to billing exactly once, none twice, none is missing, and
 * billing holds the newest values of every record.
 *
 * <p>The instants come from a seeded {@link Random}: the seed is in every assertion message, and
 * {@code -Dsyncline.test.seed=<seed>} replays the same stream and kill points (the exact timing
 * of a kill relative to the work in flight still varies from run to run).
 */
class CrashSafetyIT {

    private static final int RECORDS = 60;
    private static final int VERSIONS = 6;
    private static final int KILLS = 4;
    private static final int LANES = 6;

    @Test
    void everyAcknowledgedEventIsAppliedExactlyOnceThoughTheApplicationIsKilledMidStream() throws Exception {
        TestSeed seed = TestSeed.of("CrashSafetyIT");
        Random random = seed.random();
        String context = seed.context();
        String url = TestDatabase.siblingUrl("_crash_safety");
        TestDatabase.ensureDatabase(url, true);
        ContactEvents events = ContactEvents.generate(random, "crash", RECORDS, VERSIONS);
        SyncLedger ledger = new SyncLedger(url, context);

        PackagedApplication app = PackagedApplication.start("crash-safety-it-0", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "crash-it-password",
                "SYNCLINE_ROUTES_LOCATION", "routes",
                // A killed worker's events are claimed again once their lease runs out.
                "SYNCLINE_INBOX_LEASE", "3s"), List.of("-Xmx256m"));
        List<Integer> exitCodes = new ArrayList<>();
        try (WebhookSender sender = new WebhookSender(app.url(DemoWebhook.PATH))) {
            app.awaitReady(context);
            CompletableFuture<Void> stream = sender.stream(events.deliveries(), LANES, Duration.ofMillis(60),
                    Duration.ofMillis(240), random);

            for (int threshold : killPoints(random, events.size(), KILLS)) {
                // Kill once this many events were acknowledged and the worker is applying some
                // (its count of applied events just moved), so that both intake and apply are cut off.
                AtomicLong applied = new AtomicLong(appliedCount(ledger));
                await(context + ": " + threshold + " events acknowledged while applying").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(15))
                        .until(() -> {
                            long now = appliedCount(ledger);
                            boolean applying = applied.getAndSet(now) != now;
                            return applying && sender.acknowledged().size() >= threshold;
                        });
                exitCodes.add(app.kill());
                app = app.restart("crash-safety-it-" + exitCodes.size());
            }

            stream.get(120, TimeUnit.SECONDS);
            ledger.awaitDrained(Duration.ofSeconds(60));

            assertThat(exitCodes).as("%s: exit codes of the killed application (137 = SIGKILL)", context)
                    .hasSize(KILLS).containsOnly(137);
            ledger.assertStreamApplied(events, sender.acknowledged());
            assertThat(app.get("/q/health/ready")).as("%s: readiness after the last restart", context).isEqualTo(200);

            System.out.printf("%s: %d events, %d kills; %d POSTs unanswered, %d acknowledged as duplicates (stored before"
                    + " the kill), answers other than 202: %s; audit %s%n", context, events.size(), KILLS,
                    sender.unanswered(), sender.acknowledgedAsDuplicate().size(),
                    sender.otherAnswers().stream().map(WebhookSender.Answer::status).toList(), ledger.auditActions());
        } finally {
            app.close();
        }
    }

    /** Acknowledged-event counts at which to kill: spread over the stream, each at a random point of its stretch. */
    static List<Integer> killPoints(Random random, int events, int kills) {
        List<Integer> points = new ArrayList<>();
        int stretch = events * 8 / 10 / kills;
        for (int k = 0; k < kills; k++) {
            points.add(events / 20 + k * stretch + random.nextInt(stretch));
        }
        return points;
    }

    private static long appliedCount(SyncLedger ledger) {
        return ledger.count("SELECT COUNT(*) AS n FROM processed_key");
    }

}
