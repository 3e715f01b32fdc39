package io.syncline.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.KafkaBroker;
import io.syncline.testsupport.KafkaInboxProfile;
import io.syncline.testsupport.KafkaInboxResource;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbox in Kafka while its broker is away, killed or frozen (SIGSTOP), on a real KRaft broker:
 * under 64 webhooks at once every answer comes within 5 s (202, or 503 once the delivery timeout
 * passed) and every health answer within 1 s, as no thread waits for the brokers; readiness is
 * DOWN within 15 s and UP again within 5 s of the broker's return; and every event answered 202,
 * before, during or after the outage, is applied once the broker is back.
 */
@QuarkusTest
@TestProfile(KafkaInboxProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class KafkaInboxOutageTest {

    private static final int SENDERS = 64;
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
    private static final Duration HEALTH_BOUND = Duration.ofSeconds(1);
    private static final Duration DOWN_WITHIN = Duration.ofSeconds(15);
    private static final Duration UP_WITHIN = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URL base;

    KafkaBroker broker;

    private final ObjectMapper mapper = new ObjectMapper();
    private ExecutorService clientThreads;
    private HttpClient http;
    /** The health probes' own client, so that the webhooks' answers do not hold theirs up. */
    private HttpClient probes;
    private ScheduledExecutorService timers;

    @BeforeEach
    void start() {
        clientThreads = Executors.newFixedThreadPool(4);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(5)).build();
        probes = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        timers = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        clientThreads.shutdownNow();
    }

    @Test
    void aKilledBrokerIsAnsweredWithinTheBoundsAndNothingAcknowledgedIsLost() {
        outage("killed", broker::kill, broker::start);
    }

    @Test
    void aFrozenBrokerIsAnsweredWithinTheBoundsAndNothingAcknowledgedIsLost() {
        outage("frozen", broker::freeze, broker::thaw);
    }

    private void outage(String kind, Runnable away, Runnable back) {
        String run = "kout-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Health health = new Health();
        timers.scheduleWithFixedDelay(health::probe, 0, 100, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(health::kafkaUp);

        // the webhook's path warmed up by one round of webhooks at once, all acknowledged
        Senders before = new Senders(run + "before-");
        before.once();
        await().atMost(ANSWER_BOUND.multipliedBy(3)).until(() -> before.answers.size() == SENDERS);
        assertThat(before.answers).extracting(Answer::status).containsOnly(202);

        Senders senders = new Senders(run);
        boolean wasBack = false;
        try {
            away.run();
            long awayAt = System.nanoTime();
            senders.start();
            await("readiness DOWN with the broker " + kind).atMost(DOWN_WITHIN).until(health::kafkaDown);
            assertThat(Duration.ofNanos(System.nanoTime() - awayAt)).isLessThanOrEqualTo(DOWN_WITHIN);
            // every sender has been answered at least once while the broker was away
            await().atMost(ANSWER_BOUND.multipliedBy(2)).until(() -> senders.answeredEach(2));
            senders.stop();
            back.run();
            wasBack = true;
            await("readiness UP once the broker is back").atMost(UP_WITHIN).until(health::kafkaUp);
        } finally {
            senders.stop();
            if (!wasBack) {
                back.run();
            }
        }
        // and the webhooks go through again, all at once
        Senders after = new Senders(run + "after-");
        after.once();
        await().atMost(ANSWER_BOUND.multipliedBy(3)).until(() -> after.answers.size() == SENDERS);
        timers.shutdownNow();

        assertThat(senders.slowest()).as("the slowest webhook answer with the broker %s; the slowest ten: %s", kind,
                senders.answers.stream().sorted(java.util.Comparator.comparing(Answer::took).reversed()).limit(10).toList())
                .isLessThanOrEqualTo(ANSWER_BOUND);
        assertThat(senders.answers).extracting(Answer::status).as("answers with the broker %s", kind)
                .isNotEmpty().isSubsetOf(202, 503).contains(503);
        assertThat(after.slowest()).isLessThanOrEqualTo(ANSWER_BOUND);
        assertThat(after.answers).extracting(Answer::status).containsOnly(202);
        assertThat(health.slowest()).as("the slowest answer of /q/health/ready and /live, broker %s", kind)
                .isLessThanOrEqualTo(HEALTH_BOUND);
        assertThat(health.failures.get()).as("health requests unanswered").isZero();

        // every acknowledged event is applied
        List<String> acknowledged = java.util.stream.Stream.of(before, senders, after).flatMap(sent -> sent.answers.stream())
                .filter(answer -> answer.status() == 202).map(Answer::id).toList();
        KafkaInboxResource.awaitConsumed();
        DemoWebhook.awaitDrained(run);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestDatabase
                .query("SELECT external_id FROM demo_contact WHERE external_id LIKE ?", run + "%"))
                .extracting(row -> (String) row.get("external_id"))
                .containsAll(acknowledged));
    }

    private record Answer(String id, int status, Duration took) {
    }

    /** {@value #SENDERS} senders, each posting a new contact, and the next once answered and 100 ms later. */
    private final class Senders {

        private final String prefix;
        private final AtomicBoolean sending = new AtomicBoolean();
        private final AtomicInteger numbers = new AtomicInteger();
        private final int[] answeredBy = new int[SENDERS];
        final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

        Senders(String prefix) {
            this.prefix = prefix;
        }

        void start() {
            sending.set(true);
            for (int lane = 0; lane < SENDERS; lane++) {
                post(lane, true);
            }
        }

        /** One webhook per sender, all at once. */
        void once() {
            for (int lane = 0; lane < SENDERS; lane++) {
                post(lane, false);
            }
        }

        void stop() {
            sending.set(false);
        }

        synchronized boolean answeredEach(int times) {
            for (int count : answeredBy) {
                if (count < times) {
                    return false;
                }
            }
            return true;
        }

        Duration slowest() {
            return answers.stream().map(Answer::took).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        private void post(int lane, boolean again) {
            String id = prefix + numbers.incrementAndGet();
            String body = "{\"id\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"lastName\":\"Outage\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(DemoWebhook.PATH))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long asked = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
                answers.add(new Answer(id, response == null ? -1 : response.statusCode(),
                        Duration.ofNanos(System.nanoTime() - asked)));
                synchronized (this) {
                    answeredBy[lane]++;
                }
                if (again && sending.get()) {
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, timers).execute(() -> post(lane, true));
                }
                return null;
            });
        }
    }

    /** /q/health/ready and /live, asked in turn every 100 ms: how long each answer took, and the Kafka inbox's check. */
    private final class Health {

        private final Queue<Duration> took = new ConcurrentLinkedQueue<>();
        final AtomicInteger failures = new AtomicInteger();
        private volatile String kafka = "";

        void probe() {
            String ready = ask("/q/health/ready");
            if (ready != null) {
                kafka = kafkaStatus(ready);
            }
            ask("/q/health/live");
        }

        boolean kafkaUp() {
            return kafka.equals("UP");
        }

        boolean kafkaDown() {
            return kafka.equals("DOWN");
        }

        Duration slowest() {
            return took.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        }

        private String ask(String path) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            long asked = System.nanoTime();
            try {
                String body = probes.send(request, HttpResponse.BodyHandlers.ofString()).body();
                took.add(Duration.ofNanos(System.nanoTime() - asked));
                return body;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (Exception e) {
                took.add(Duration.ofNanos(System.nanoTime() - asked));
                failures.incrementAndGet();
                return null;
            }
        }

        private String kafkaStatus(String body) {
            try {
                for (JsonNode check : mapper.readTree(body).path("checks")) {
                    if (KafkaInboxHealthCheck.NAME.equals(check.path("name").asText())) {
                        return check.path("status").asText();
                    }
                }
                return "";
            } catch (Exception e) {
                return "";
            }
        }
    }
}
