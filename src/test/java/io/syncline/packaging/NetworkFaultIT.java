package io.syncline.packaging;

import io.syncline.testsupport.ContactEvents;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.FaultProxy;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.PostgresServer;
import io.syncline.testsupport.SyncLedger;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import io.syncline.testsupport.WebhookSender;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The network between the packaged application and its state store fails in the middle of a
 * stream of webhooks: the application's state-store URL points at a
 * {@link FaultProxy} in front of PostgreSQL, and the test's own checks go to PostgreSQL directly.
 * Whatever the network does, every webhook is answered within 5 s (202, or 503 with Retry-After),
 * readiness tells the truth within 5 s, liveness stays UP (a store away is no reason to restart),
 * and nothing acknowledged is lost, applied twice or left stale once the senders have re-sent
 * what was answered 503. When connections are reset or PostgreSQL restarts, the events workers
 * held are applied within 10 s of the store's return (not after their lease), and the fault
 * writes at most five log lines at WARN or above, without a stack trace.
 *
 * <p>Runs alone among the integration tests: its faults have bounds in seconds that a second application beside it could stretch.
 */
@Isolated
class NetworkFaultIT {

    private static final int RECORDS = 30;
    private static final int VERSIONS = 4;
    /** The longest a webhook or a health request may take, whatever the network does. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
    /** The longest the events a worker held when its connection died may wait once the store is back. */
    private static final Duration IN_FLIGHT_BOUND = Duration.ofSeconds(10);
    /** The most log lines at WARN or above one fault may write. */
    private static final int LOG_LINES_PER_FAULT = 5;
    private static final Pattern WARN_OR_ABOVE = Pattern.compile("(?m)^\\S+ \\S+ (WARN|ERROR|FATAL) .*$");

    @Test
    void aPartitionOfThirtySecondsIsAnsweredAt503AndHealsWithin5Seconds() throws Exception {
        try (Stream stream = new Stream("net_partition")) {
            stream.awaitAcknowledged(0.25);
            stream.proxy.partition();
            long cut = System.nanoTime();
            Duration down = stream.awaitReadiness(503, ANSWER_BOUND);
            assertThat(down).as("%s: readiness DOWN after the partition began", stream.context).isLessThanOrEqualTo(ANSWER_BOUND);
            String details = stream.body("/q/health/ready");
            assertThat(details).as("%s: readiness names the state store", stream.context)
                    .contains("syncline-state-store").contains("unreachable");

            // the rest of the 30 s: health answers at once, liveness stays UP, webhooks get 503 quickly
            stream.assertStoreAwayThroughout(Duration.ofSeconds(30).minusNanos(System.nanoTime() - cut));
            stream.proxy.heal();
            Duration up = stream.awaitReadiness(200, ANSWER_BOUND);
            System.out.printf("%s: not ready %d ms after the partition began, ready again %d ms after it healed%n",
                    stream.context, down.toMillis(), up.toMillis());
            assertThat(up).as("%s: readiness UP after the heal", stream.context).isLessThanOrEqualTo(ANSWER_BOUND);

            stream.finishAndCheck(Duration.ofSeconds(60));
            stream.assertOutageCounted();
            assertThat(stream.sender.otherAnswers()).as("%s: webhooks answered 503 during the partition", stream.context)
                    .isNotEmpty();
        }
    }

    @Test
    void connectionsLostForGoodAreReplacedWithoutARestart() throws Exception {
        try (Stream stream = new Stream("net_blackhole")) {
            stream.awaitAcknowledged(0.25);
            stream.proxy.partitionForGood();
            stream.awaitReadiness(503, ANSWER_BOUND);
            stream.assertStoreAwayThroughout(Duration.ofSeconds(10));
            // the network returns, but every connection of the time stays a black hole
            stream.proxy.heal();
            long healed = System.nanoTime();
            Duration up = stream.awaitReadiness(200, Duration.ofSeconds(60));
            System.out.printf("%s: ready again %d ms after the network returned%n", stream.context, up.toMillis());

            stream.finishAndCheck(Duration.ofSeconds(60).minus(Duration.ofNanos(System.nanoTime() - healed)));
            stream.assertOutageCounted();
        }
    }

    @Test
    void eventsInFlightWhenConnectionsAreResetApplyWithin10Seconds() throws Exception {
        try (Stream stream = new Stream("net_reset")) {
            stream.awaitAcknowledged(0.3);
            // each round trip slowed, so that workers are mid-event when their connections go
            stream.proxy.latency(Duration.ofMillis(150));
            List<Long> inFlight = stream.awaitInFlight();
            long logFrom = stream.app.logSize();
            stream.proxy.resetAll();
            stream.proxy.latency(Duration.ZERO);
            // new connections pass at once: the store is back as soon as the reset is done
            stream.assertAppliedWithin(inFlight, IN_FLIGHT_BOUND, System.nanoTime());
            stream.assertQuiet(logFrom);
            stream.finishAndCheck(Duration.ofSeconds(60));
        }
    }

    @Test
    void eventsInFlightWhenPostgresRestartsApplyWithin10Seconds() throws Exception {
        assumeTrue(PostgresServer.restartAllowed(), "PostgreSQL restart skipped: set " + PostgresServer.RESTART_SWITCH
                + "=true, and SYNCLINE_TEST_POSTGRES_CLUSTER with SYNCLINE_TEST_DB_URL for a server of one's own");
        try (Stream stream = new Stream("net_restart")) {
            stream.awaitAcknowledged(0.3);
            stream.proxy.latency(Duration.ofMillis(150));
            List<Long> inFlight = stream.awaitInFlight();
            long logFrom = stream.app.logSize();
            PostgresServer.stop();
            stream.proxy.latency(Duration.ZERO);
            // the store stays away for 3 s, a restart's worth; a store away is no reason to restart
            Throughout.holds(await().pollInterval(Duration.ofMillis(250)), stream.context + ": liveness while PostgreSQL is down",
                    Duration.ofSeconds(3), () -> assertThat(stream.timedGet("/q/health/live")).isEqualTo(200));
            PostgresServer.start(stream.url);
            stream.assertAppliedWithin(inFlight, IN_FLIGHT_BOUND, System.nanoTime());
            stream.assertQuiet(logFrom);
            stream.finishAndCheck(Duration.ofSeconds(60));
            stream.assertOutageCounted();
        }
    }

    /** The application behind the proxy on a fresh database, a stream of events at it, and the checks at the end. */
    private static final class Stream implements AutoCloseable {

        final String url;
        final String context;
        final SyncLedger ledger;
        final FaultProxy proxy;
        final PackagedApplication app;
        final WebhookSender sender;
        private final ContactEvents events;
        private final List<WebhookSender.Event> deliveries;
        private final CompletableFuture<Void> delivered;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Stream(String name) throws Exception {
            long seed = Long.getLong("syncline.test.seed", System.nanoTime());
            Random random = new Random(seed);
            context = "NetworkFaultIT " + name + " seed " + seed + " (replay with -Dsyncline.test.seed=" + seed + ")";
            url = TestDatabase.siblingUrl("_" + name);
            TestDatabase.ensureDatabase(url, true);
            ledger = new SyncLedger(url, context);
            events = ContactEvents.generate(random, name, RECORDS, VERSIONS);
            deliveries = new ArrayList<>(events.deliveries());
            proxy = FaultProxy.before(url);
            // the application reaches its store through the proxy; retries every second at most, 60 of them;
            // the lease of production, so that an event waiting out its lease would show
            Map<String, String> environment = new HashMap<>(
                    PackagedApplication.outageEnvironment(proxy.route(url), "network-it-password", 60));
            environment.put("SYNCLINE_INBOX_LEASE", "60s");
            app = PackagedApplication.start("network-fault-it-" + name, environment, List.of("-Xmx256m"));
            app.awaitReadyOrClose(context, proxy);
            sender = new WebhookSender(app.url(DemoWebhook.PATH));
            // paced so that the stream outlasts the fault: about ten events a second over four lanes
            delivered = sender.stream(deliveries, 4, Duration.ofMillis(200), Duration.ofMillis(600), random);
        }

        void awaitAcknowledged(double share) {
            sender.awaitAcknowledged((int) (deliveries.size() * share), context);
        }

        /** The store's outage counted ({@code syncline_store_unreachable_total}): a reset may pass too fast for it. */
        void assertOutageCounted() throws IOException, InterruptedException {
            Matcher outages = Pattern.compile("(?m)^syncline_store_unreachable_total(?:\\{[^}]*})? ([0-9.E]+)$")
                    .matcher(body("/q/metrics"));
            assertThat(outages.find()).as("%s: syncline_store_unreachable_total in /q/metrics", context).isTrue();
            assertThat(Double.parseDouble(outages.group(1))).as("%s: outages counted", context).isGreaterThanOrEqualTo(1.0);
        }

        /** Waits until workers hold claimed events (status processing); their ids. */
        List<Long> awaitInFlight() {
            return await(context + ": events being applied").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> TestDatabase.queryOn(url, "SELECT id FROM inbox WHERE status = 'processing'").stream()
                            .map(row -> ((Number) row.get("id")).longValue()).toList(), ids -> !ids.isEmpty());
        }

        /** Every event of {@code ids} is done within {@code bound} of {@code returned} (System.nanoTime). */
        void assertAppliedWithin(List<Long> ids, Duration bound, long returned) {
            await(context + ": the events in flight " + ids + " applied").atMost(bound.plusSeconds(1))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> ledger.count("SELECT COUNT(*) AS n FROM inbox WHERE status <> 'done' AND id IN ("
                            + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")", ids.toArray()) == 0);
            Duration took = Duration.ofNanos(System.nanoTime() - returned);
            System.out.printf("%s: %d events in flight applied %d ms after the store's return%n", context, ids.size(),
                    took.toMillis());
            assertThat(took).as("%s: the events in flight applied after the store's return", context)
                    .isLessThanOrEqualTo(bound);
        }

        /**
         * What the fault wrote to the log from {@code from} (bytes) on, once the service has
         * recovered: at most {@value #LOG_LINES_PER_FAULT} lines at WARN or above, and no stack
         * trace. The one place a test counts log lines: being quiet is what is asked.
         */
        void assertQuiet(long from) throws Exception {
            // the store's probe says it is back within a second or two of its return
            awaitReadiness(200, ANSWER_BOUND);
            // and it stays quiet for 3 s more, while what the fault left behind settles
            Throughout.holds(await().pollInterval(Duration.ofMillis(250)), context + ": the log after the fault",
                    Duration.ofSeconds(3), () -> {
                        String written = app.logFrom(from);
                        assertThat(loudLines(written)).as("%s: log lines at WARN or above for one fault", context)
                                .hasSizeLessThanOrEqualTo(LOG_LINES_PER_FAULT);
                        assertThat(written).as("%s: stack traces in the log", context).doesNotContain("\tat ");
                    });
            List<String> loud = loudLines(app.logFrom(from));
            System.out.printf("%s: %d log lines at WARN or above:%n  %s%n", context, loud.size(), String.join("\n  ", loud));
        }

        private static List<String> loudLines(String written) {
            return WARN_OR_ABOVE.matcher(written).results().map(MatchResult::group).toList();
        }

        /**
         * For {@code duration}, at every poll: readiness answers 503 and liveness 200, each within
         * the answer bound (a health request never waits on the store).
         */
        void assertStoreAwayThroughout(Duration duration) {
            Throughout.holds(await().pollInterval(Duration.ofMillis(500)), context + ": health while the store is away",
                    duration, () -> {
                        assertThat(timedGet("/q/health/ready")).as("%s: readiness", context).isEqualTo(503);
                        assertThat(timedGet("/q/health/live")).as("%s: liveness", context).isEqualTo(200);
                    });
        }

        /** Polls readiness until it answers {@code status}; how long that took. Fails past {@code atMost}. */
        Duration awaitReadiness(int status, Duration atMost) {
            long started = System.nanoTime();
            AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            try {
                await(context + ": readiness answers " + status).atMost(atMost.plusMillis(500))
                        .pollInterval(Duration.ofMillis(100)).until(() -> {
                            last.set(get("/q/health/ready"));
                            return last.get().statusCode() == status;
                        });
            } catch (ConditionTimeoutException e) {
                // which check held readiness: the answer says, the timeout alone does not
                HttpResponse<String> answer = last.get();
                throw new AssertionError(e.getMessage() + "; last answer "
                        + (answer == null ? "none" : answer.statusCode() + " " + answer.body()), e);
            }
            return Duration.ofNanos(System.nanoTime() - started);
        }

        /** Status of a GET, which must come within the answer bound (a health request never waits on the store). */
        int timedGet(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(app.url(path))).timeout(ANSWER_BOUND).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        String body(String path) throws IOException, InterruptedException {
            return get(path).body();
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(app.url(path))).timeout(ANSWER_BOUND).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        void finishAndCheck(Duration drainWithin) throws Exception {
            delivered.get(120, TimeUnit.SECONDS);
            ledger.awaitDrained(drainWithin.isNegative() ? Duration.ofSeconds(1) : drainWithin);
            app.awaitReady(context);

            List<String> all = deliveries.stream().map(WebhookSender.Event::id).toList();
            List<String> good = events.all().stream().map(ContactEvents.ContactEvent::eventId).toList();
            assertThat(sender.acknowledged()).as("%s: acknowledged events", context).containsExactlyInAnyOrderElementsOf(all);
            assertThat(ledger.inboxStatus()).as("%s: inbox status per event", context).containsOnlyKeys(all)
                    .allSatisfy((id, status) -> assertThat(status).as("%s: status of %s", context, id).isEqualTo("done"));
            ledger.assertAppliedExactlyOnce(good);
            ledger.assertTargetHoldsNewest(events.newest());
            assertThat(TestDatabase.queryOn(url, "SELECT id FROM dead_letter")).as("%s: dead letters", context).isEmpty();

            assertThat(sender.unanswered()).as("%s: POSTs without an answer", context).isZero();
            assertThat(sender.longestAnswer()).as("%s: the longest wait for an answer", context).isLessThan(ANSWER_BOUND);
            sender.assertOtherAnswersAreStoreUnavailable(context);

            assertThat(body("/q/metrics")).as("%s: the store reachable again", context)
                    .containsPattern("(?m)^syncline_store_reachable(?:\\{[^}]*})? 1\\.0$");
            System.out.printf("%s: %d events; %d answered 503, longest answer %d ms%n", context, deliveries.size(),
                    sender.otherAnswers().size(), sender.longestAnswer().toMillis());
        }

        @Override
        public void close() throws Exception {
            sender.close();
            try {
                app.close();
            } finally {
                proxy.close();
            }
        }
    }
}
