package io.syncline.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mailer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.config.SynclineConfig;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.SmtpServer;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import jakarta.inject.Inject;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several replicas' notifiers over one state store, as the Kubernetes manifests run them: each
 * evaluates the application's meters and tells the same Slack stub and SMTP server. A store-wide
 * condition (review items overdue) is told once by them all, as it starts and as it clears, also
 * when they evaluate at the same moment and when the replica that saw it last has stopped; a
 * replica's own condition (sync lag) is told by each, under its name.
 */
@QuarkusTest
@WithTestResource(ReplicaAlertsResource.class)
class ReplicaAlertsTest {

    private static final Duration BOUND = Duration.ofSeconds(45);
    private static final String OVERDUE = AlertRule.SynclineReviewItemsOverdue.name();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    AgroalDataSource store;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper mapper;
    @Inject
    Mailer mailer;
    @Inject
    SynclineConfig config;

    SlackStub slack;
    SmtpServer smtp;

    private final ExecutorService replicas = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopReplicas() {
        replicas.shutdownNow();
    }

    private SharedAlertStates states(String replica) {
        SynclineConfig.Alerts settings = config.alerts();
        return new SharedAlertStates(store, mapper, replica, settings.minInterval(), AlertNotifier.seenFor(settings));
    }

    /** A replica's notifier as the application makes it, under its own name, telling the stub and the SMTP server. */
    private AlertNotifier replica(String name) {
        return new AlertNotifier(config.alerts(), List.of(new SlackWebhook(URI.create(slack.url()), HttpClient.newHttpClient(), mapper),
                new EmailChannel(mailer, List.of("ops@example.com"))), registry, states(name), () -> true);
    }

    private long slackMessages(String alert, String status) {
        return slack.messages.stream().filter(m -> alert.equals(m.get("alert")) && status.equals(m.get("status"))).count();
    }

    private long mails(String alert, String status) {
        String prefix = "[Syncline] " + status.toUpperCase(Locale.ROOT) + " " + alert;
        return smtp.subjects().stream().filter(subject -> subject.startsWith(prefix)).count();
    }

    private boolean told(String alert, String status, long before) {
        return slackMessages(alert, status) > before && mails(alert, status) > before;
    }

    /** Evaluations of all {@code notifiers} starting at the same moment, each on a thread of its own. */
    private void together(AlertNotifier... notifiers) throws Exception {
        CyclicBarrier start = new CyclicBarrier(notifiers.length);
        List<Future<?>> evaluations = new ArrayList<>();
        for (AlertNotifier notifier : notifiers) {
            evaluations.add(replicas.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                notifier.evaluate();
                return null;
            }));
        }
        for (Future<?> evaluation : evaluations) {
            evaluation.get(60, TimeUnit.SECONDS);
        }
    }

    /** Evaluates together, one interval apart, until {@code done}. */
    private void evaluateUntil(BooleanSupplier done, AlertNotifier... notifiers) {
        await().atMost(BOUND).pollInterval(config.alerts().interval()).until(() -> {
            together(notifiers);
            return done.getAsBoolean();
        });
    }

    /**
     * Evaluates together for {@code time}, one interval apart, as replicas go on while nothing
     * changes; {@code toldSoFar} holds after each evaluation.
     */
    private void evaluateFor(Duration time, ThrowingRunnable toldSoFar, AlertNotifier... notifiers) {
        Throughout.holds(await().pollDelay(Duration.ZERO).pollInterval(config.alerts().interval()),
                "what the replicas told while nothing changed", time, () -> {
                    together(notifiers);
                    toldSoFar.run();
                });
    }

    /** Slack and e-mail each told {@code alert} as {@code status} {@code times} times in all. */
    private void assertTold(String alert, String status, long times) {
        assertThat(slackMessages(alert, status)).as("Slack messages %s %s", status, alert).isEqualTo(times);
        assertThat(mails(alert, status)).as("mails %s %s", status, alert).isEqualTo(times);
    }

    private double overdueItems() {
        Gauge gauge = registry.find("syncline.review.items.overdue").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** No open review item and no told state of the condition from earlier tests: it is clear, and known to be. */
    private void overdueCleared() {
        discardOpenReviewItems();
        TestDatabase.update("DELETE FROM alert_notification WHERE alert = ?", OVERDUE);
        await().atMost(BOUND).until(() -> overdueItems() == 0);
    }

    private static void discardOpenReviewItems() {
        for (Map<String, Object> item : TestDatabase.query("SELECT id FROM review_item WHERE status = 'open'")) {
            given().auth().preemptive().basic("admin", "test-only-password")
                    .when().post("/admin/review-items/" + item.get("id") + "/discard").then().statusCode(200);
        }
    }

    /** A contact without a last name: held for review, and overdue a second later. */
    private static void holdARecord(String name) {
        Map<String, Object> contact = AlertNotifierTest.contact("replicas-" + RUN + "-" + name, Instant.now());
        contact.remove("lastName");
        assertThat(DemoWebhook.finalStatus(DemoWebhook.accept(contact))).isEqualTo("held");
    }

    @Test
    void replicasEvaluatingTogetherTellAStoreWideConditionOnceAsItStartsAndOnceAsItClears() throws Exception {
        overdueCleared();
        AlertNotifier[] three = {replica("syncline-0"), replica("syncline-1"), replica("syncline-2")};
        long firing = slackMessages(OVERDUE, "firing");
        long resolved = slackMessages(OVERDUE, "resolved");
        assertThat(mails(OVERDUE, "firing")).isEqualTo(firing);
        evaluateFor(Duration.ofSeconds(1), () -> assertTold(OVERDUE, "firing", firing), three);

        holdARecord("together");
        evaluateUntil(() -> told(OVERDUE, "firing", firing), three);
        // while it holds, and past min-interval, nobody tells it again
        evaluateFor(config.alerts().minInterval().multipliedBy(2), () -> assertTold(OVERDUE, "firing", firing + 1), three);

        discardOpenReviewItems();
        evaluateUntil(() -> told(OVERDUE, "resolved", resolved), three);
        evaluateFor(config.alerts().minInterval().multipliedBy(2), () -> {
            assertTold(OVERDUE, "resolved", resolved + 1);
            assertThat(slackMessages(OVERDUE, "firing")).isEqualTo(firing + 1);
        }, three);
        assertThat(TestDatabase.query("SELECT firing FROM alert_notification WHERE alert = ?", OVERDUE))
                .singleElement().satisfies(row -> assertThat(row.get("firing")).isEqualTo(false));
    }

    @Test
    void aConditionTheReplicaThatSawItLastLeftFiringIsResolvedByAnotherOnceItClears() throws Exception {
        overdueCleared();
        AlertNotifier stopping = replica("syncline-stopping");
        AlertNotifier staying = replica("syncline-staying");
        long firing = slackMessages(OVERDUE, "firing");
        long resolved = slackMessages(OVERDUE, "resolved");
        evaluateFor(Duration.ofSeconds(1), () -> assertTold(OVERDUE, "firing", firing), staying, stopping);

        holdARecord("stopped");
        evaluateUntil(() -> told(OVERDUE, "firing", firing), staying, stopping);
        // the stopping replica is the last to see it firing, then evaluates no more
        staying.evaluate();
        stopping.evaluate();
        assertThat(TestDatabase.query("SELECT seen_by FROM alert_notification WHERE alert = ? AND firing", OVERDUE))
                .singleElement().satisfies(row -> assertThat(row.get("seen_by")).isEqualTo("syncline-stopping"));

        discardOpenReviewItems();
        await().atMost(BOUND).until(() -> overdueItems() == 0);
        evaluateUntil(() -> told(OVERDUE, "resolved", resolved), staying);
        evaluateFor(config.alerts().minInterval().multipliedBy(2), () -> {
            assertTold(OVERDUE, "resolved", resolved + 1);
            assertThat(slackMessages(OVERDUE, "firing")).isEqualTo(firing + 1);
        }, staying);
    }

    @Test
    void aReplicasOwnConditionIsToldByEachReplicaUnderItsName() throws Exception {
        String lag = AlertRule.SynclineSyncLagHigh.name();
        AlertNotifier one = replica("syncline-one");
        AlertNotifier two = replica("syncline-two");
        // each replica's history starts before the late change, so that its window sees it applied
        together(one, two);

        DemoWebhook.accept(AlertNotifierTest.contact("replicas-" + RUN + "-late", Instant.now().minus(Duration.ofMinutes(10))));
        evaluateUntil(() -> replicasTold(lag, "firing").containsAll(Set.of("syncline-one", "syncline-two")), one, two);
        evaluateUntil(() -> replicasTold(lag, "resolved").containsAll(Set.of("syncline-one", "syncline-two")), one, two);
        assertThat(replicasTold(lag, "firing")).containsExactlyInAnyOrder("syncline-one", "syncline-two");
        assertThat(replicasTold(lag, "resolved")).containsExactlyInAnyOrder("syncline-one", "syncline-two");
        assertThat(smtp.subjects()).contains("[Syncline] FIRING " + lag + " {replica=syncline-one}",
                "[Syncline] FIRING " + lag + " {replica=syncline-two}");
    }

    /** The replicas named by this test's Slack messages of the alert. */
    private List<Object> replicasTold(String alert, String status) {
        return slack.messages.stream().filter(m -> alert.equals(m.get("alert")) && status.equals(m.get("status")))
                .map(m -> m.get("replica")).toList();
    }

    // The shared state itself, each replica's view given: a condition of this run's own labels.

    private final AlertMessage deadLetters = new AlertMessage(AlertRule.SynclineDeadLettersGrowing.name(),
            Map.of("run", RUN + "-" + UUID.randomUUID().toString().substring(0, 4)), true, "3 dead letters wait");
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private Instant at(Duration after) {
        return t0.plus(after);
    }

    private static List<AlertMessage> told(List<SharedAlertStates.Claim> claims) {
        return claims.stream().map(SharedAlertStates.Claim::message).toList();
    }

    @Test
    void ofReplicasClaimingAtTheSameMomentOneTellsTheChange() throws Exception {
        List<SharedAlertStates> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(states("syncline-" + i));
        }
        CyclicBarrier start = new CyclicBarrier(eight.size());
        List<Future<List<SharedAlertStates.Claim>>> claims = new ArrayList<>();
        for (SharedAlertStates replica : eight) {
            Callable<List<SharedAlertStates.Claim>> claim = () -> {
                start.await(10, TimeUnit.SECONDS);
                return replica.claim(List.of(deadLetters), Set.of(), t0);
            };
            claims.add(replicas.submit(claim));
        }
        List<AlertMessage> firing = new ArrayList<>();
        for (Future<List<SharedAlertStates.Claim>> claim : claims) {
            firing.addAll(told(claim.get(60, TimeUnit.SECONDS)));
        }
        assertThat(firing).containsExactly(deadLetters);

        Duration later = config.alerts().minInterval();
        start.reset();
        claims.clear();
        for (SharedAlertStates replica : eight) {
            claims.add(replicas.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return replica.claim(List.of(), Set.of(), at(later));
            }));
        }
        List<AlertMessage> resolved = new ArrayList<>();
        for (Future<List<SharedAlertStates.Claim>> claim : claims) {
            resolved.addAll(told(claim.get(60, TimeUnit.SECONDS)));
        }
        assertThat(resolved).singleElement().satisfies(message -> {
            assertThat(message.firing()).isFalse();
            assertThat(message.labels()).isEqualTo(deadLetters.labels());
            assertThat(message.summary()).isEqualTo(deadLetters.summary());
        });
    }

    @Test
    void aSightingByAnotherReplicaHoldsAConditionFiringUntilItIsOldOrThatReplicaSeesItCleared() throws Exception {
        SharedAlertStates a = states("syncline-a");
        SharedAlertStates b = states("syncline-b");
        Duration minInterval = config.alerts().minInterval();
        Duration seenFor = AlertNotifier.seenFor(config.alerts());
        assertThat(told(a.claim(List.of(deadLetters), Set.of(), t0))).containsExactly(deadLetters);
        assertThat(b.claim(List.of(deadLetters), Set.of(), t0)).isEmpty();

        // a still sees it firing; b, whose readings are newer, finds it cleared: a's sighting holds it
        Instant aSaw = at(minInterval.plusMillis(10));
        assertThat(a.claim(List.of(deadLetters), Set.of(), aSaw)).isEmpty();
        assertThat(b.claim(List.of(), Set.of(), aSaw.plusMillis(10))).isEmpty();
        // a then finds it cleared too, and was the last to see it: it tells so
        assertThat(told(a.claim(List.of(), Set.of(), aSaw.plusMillis(20)))).singleElement()
                .satisfies(message -> assertThat(message.firing()).isFalse());

        // it starts again, and a, the last to see it, stops: b tells it cleared once a's sighting is older than seenFor
        Instant again = aSaw.plus(minInterval.multipliedBy(2));
        assertThat(told(b.claim(List.of(deadLetters), Set.of(), again))).containsExactly(deadLetters);
        Instant lastSeen = again.plus(minInterval);
        assertThat(a.claim(List.of(deadLetters), Set.of(), lastSeen)).isEmpty();
        assertThat(b.claim(List.of(), Set.of(), lastSeen.plus(seenFor).minusMillis(1))).isEmpty();
        // a replica that cannot tell (its readings not fresh) decides nothing
        assertThat(b.claim(List.of(), Set.of(deadLetters.alert()), lastSeen.plus(seenFor))).isEmpty();
        assertThat(told(b.claim(List.of(), Set.of(), lastSeen.plus(seenFor)))).singleElement()
                .satisfies(message -> assertThat(message.firing()).isFalse());
    }

    @Test
    void aChangeNoChannelTookIsDueAgainForEveryReplicaAndTheRateLimitIsShared() throws Exception {
        SharedAlertStates a = states("syncline-a");
        SharedAlertStates b = states("syncline-b");
        Duration minInterval = config.alerts().minInterval();
        List<SharedAlertStates.Claim> undelivered = a.claim(List.of(deadLetters), Set.of(), t0);
        assertThat(told(undelivered)).containsExactly(deadLetters);
        a.release(undelivered.get(0));
        // given back: the next evaluation, here b's, tells it
        assertThat(told(b.claim(List.of(deadLetters), Set.of(), t0.plusMillis(1)))).containsExactly(deadLetters);

        // cleared and back within min-interval: nothing more, whoever evaluates
        Instant cleared = at(minInterval.plusMillis(1));
        assertThat(told(b.claim(List.of(), Set.of(), cleared))).hasSize(1);
        assertThat(a.claim(List.of(deadLetters), Set.of(), cleared.plusMillis(10))).isEmpty();
        assertThat(b.claim(List.of(deadLetters), Set.of(), cleared.plus(minInterval).minusMillis(1))).isEmpty();
        assertThat(told(a.claim(List.of(deadLetters), Set.of(), cleared.plus(minInterval)))).containsExactly(deadLetters);
    }
}
