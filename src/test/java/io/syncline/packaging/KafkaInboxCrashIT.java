package io.syncline.packaging;

import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.KafkaBroker;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety with the inbox in Kafka (issue 45, must show 3): a real KRaft broker and the
 * packaged application, each its own process, on a fresh database. While senders stream webhook
 * events (retrying what got no answer or a 503), the application is killed with SIGKILL at random
 * instants and started again, and once the broker too, mid-stream. Afterwards every acknowledged
 * event was applied to billing exactly once and billing holds each record's newest values.
 *
 * <p>The instants come from a seeded {@link Random} ({@code -Dsyncline.test.seed=<seed>}).
 */
class KafkaInboxCrashIT {

    private static final int RECORDS = 40;
    private static final int VERSIONS = 5;
    private static final int KILLS = 3;
    private static final int LANES = 6;
    private static final String TOPIC = "syncline-inbox-crash";
    private static final String GROUP = "syncline-inbox-crash";

    @Test
    void everyAcknowledgedEventIsAppliedExactlyOnceThoughTheApplicationAndTheBrokerAreKilled() throws Exception {
        TestSeed seed = TestSeed.of("KafkaInboxCrashIT");
        Random random = seed.random();
        String context = seed.context();
        String url = TestDatabase.siblingUrl("_kafka_crash");
        TestDatabase.ensureDatabase(url, true);
        ContactEvents events = ContactEvents.generate(random, "kcrash", RECORDS, VERSIONS);
        SyncLedger ledger = new SyncLedger(url, context);

        try (KafkaBroker broker = KafkaBroker.started()) {
            broker.createTopic(TOPIC);
            PackagedApplication app = PackagedApplication.start("kafka-crash-it-0", Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", url,
                    "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                    "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                    "SYNCLINE_ADMIN_PASSWORD", "crash-it-password",
                    "SYNCLINE_ROUTES_LOCATION", "routes",
                    "SYNCLINE_INBOX_MODE", "kafka",
                    "SYNCLINE_INBOX_KAFKA_BROKERS", broker.bootstrapServers(),
                    "SYNCLINE_INBOX_KAFKA_TOPIC", TOPIC,
                    "SYNCLINE_INBOX_KAFKA_GROUP_ID", GROUP,
                    // a killed consumer's claimed row is claimed again by the dispatcher once its lease runs out
                    "SYNCLINE_INBOX_LEASE", "3s"),
                    // the group gives a killed consumer's partitions to the restarted one once its session has
                    // run out: 10 s rather than the client's 45 s, heartbeats every 3 s
                    List.of("-Xmx256m", "-Dcamel.component.kafka.session-timeout-ms=10000"));
            List<Integer> exitCodes = new ArrayList<>();
            try (WebhookSender sender = new WebhookSender(app.url(DemoWebhook.PATH))) {
                app.awaitReady(context);
                CompletableFuture<Void> stream = sender.stream(events.deliveries(), LANES, Duration.ofMillis(60),
                        Duration.ofMillis(240), random);

                List<Integer> points = CrashSafetyIT.killPoints(random, events.size(), KILLS);
                for (int k = 0; k < points.size(); k++) {
                    int threshold = points.get(k);
                    await(context + ": " + threshold + " events acknowledged").atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(15))
                            .until(() -> sender.acknowledged().size() >= threshold);
                    exitCodes.add(app.kill());
                    if (k == 1) {
                        // the broker too, once, while the application is down: what it acknowledged stays
                        broker.kill();
                        broker.start();
                    }
                    app = app.restart("kafka-crash-it-" + exitCodes.size());
                }

                stream.get(180, TimeUnit.SECONDS);
                KafkaBroker.awaitConsumed(broker.bootstrapServers(), TOPIC, GROUP, Duration.ofSeconds(90));
                ledger.awaitDrained(Duration.ofSeconds(60));

                assertThat(exitCodes).as("%s: exit codes of the killed application (137 = SIGKILL)", context)
                        .hasSize(KILLS).containsOnly(137);
                ledger.assertStreamApplied(events, sender.acknowledged());
                System.out.printf("%s: %d events, %d kills of the application and one of the broker; %d POSTs"
                        + " unanswered, answers other than 202: %s; audit %s%n", context, events.size(), KILLS,
                        sender.unanswered(), sender.otherAnswers().stream().map(WebhookSender.Answer::status).toList(),
                        ledger.auditActions());
            } finally {
                app.close();
            }
        }
    }
}
