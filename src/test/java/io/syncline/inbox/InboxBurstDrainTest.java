package io.syncline.inbox;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backlog of 20,000 events stored through the webhook, drained, then a steady trickle, on an
 * inbox PostgreSQL has never analysed (a database of its own, migrated at start-up) and with
 * autovacuum off for its tables, and nothing running {@code ANALYZE} ({@code
 * syncline.inbox.analyze-after=0}). While it drains, the claim's plan is sampled (the claim as
 * the dispatcher runs it, under {@code EXPLAIN ANALYZE}): each walks the pending events' index
 * and stops at its limit, and the database work (shared buffers) a claim spends per event in the
 * last half of the drain is within twice the first half's and a steady trickle's. Wall time is
 * not asserted: this machine's speed varies more than a factor of two from one minute to the
 * next. And no table every event writes was read by a sequential scan per event or batch.
 *
 * <p>No dispatcher runs while the backlog is stored ({@code syncline.inbox.apply} is off); the
 * test starts the dispatcher route once every event is in.
 */
@QuarkusTest
@TestProfile(IntakeOnlyProfile.class)
class InboxBurstDrainTest {

    static final String DATABASE_URL = IntakeOnlyProfile.DATABASE_URL;
    private static final int BURST = 20_000;
    private static final int SENDERS = 8;
    private static final int TRICKLE = 300;
    /** The dispatcher's claim limit, syncline.inbox.batch-size. */
    private static final int LIMIT = 50;
    private static final List<String> HOT_TABLES = List.of("inbox", "processed_key", "record_state", "id_map", "audit_log");

    @TestHTTPResource("/webhooks/demo/contacts")
    URI webhook;

    @Inject
    CamelContext camel;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

    /** One claim as PostgreSQL ran it, with the events pending at that moment and the phase it was taken in. */
    record Sample(String phase, long pending, ClaimPlan plan) {

        /** Events the claim's scan returned, those it skipped because another claim held them included. */
        long scanned() {
            return plan.claimedEventsScan().path("Actual Rows").asLong();
        }

        /** Shared buffers the claim touched for each event it scanned. */
        double buffersPerEvent() {
            return (double) plan.buffers() / scanned();
        }
    }

    @Test
    void aBacklogStoredByTheWebhookDrainsWithABoundedClaimFromFirstToLastEvent() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String table : HOT_TABLES) {
                statement.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
            }
        }
        assertThat(analysed()).as("hot tables PostgreSQL has analysed").isEmpty();
        Map<String, Long> seqReadBefore = sequentiallyRead();

        sendConcurrently("burst-", BURST);
        assertThat(count("SELECT count(*) FROM inbox WHERE status = 'pending'")).isEqualTo(BURST);

        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            sampler.scheduleWithFixedDelay(() -> sample(BURST / 2), 0, 200, TimeUnit.MILLISECONDS);
            startDispatcher();
            awaitDrained(BURST, Duration.ofMinutes(4));
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        long total = BURST + TRICKLE;
        try {
            trickle();
            awaitDrained(total, Duration.ofMinutes(1));
        } finally {
            // the profile's replica applies nothing: as the next test class on it expects
            camel.getRouteController().stopRoute("inbox-dispatcher");
        }
        awaitStatistics(total);

        assertThat(analysed()).as("hot tables PostgreSQL has analysed").isEmpty();
        List<Sample> taking = samples.stream().filter(sample -> sample.scanned() > 0).toList();
        taking.forEach(sample -> sample.plan().assertBounded("inbox_pending_idx", 3L * LIMIT));
        double firstHalf = medianBuffersPerEvent(taking, "first half");
        double lastHalf = medianBuffersPerEvent(taking, "last half");
        double trickle = medianBuffersPerEvent(taking, "trickle");
        assertThat(lastHalf).as("buffers per event claimed, last half of the drain against the first half")
                .isLessThanOrEqualTo(2 * firstHalf);
        assertThat(lastHalf).as("buffers per event claimed, last half of the drain against a trickle")
                .isLessThanOrEqualTo(2 * trickle);
        // A few whole-table reads are the hourly housekeeping's and those of plans made while a
        // table was still small; one per event or batch would read thousands of times its rows.
        Map<String, Long> seqReadAfter = sequentiallyRead();
        Map<String, Long> rows = liveRows();
        assertThat(HOT_TABLES).as("rows read by sequential scans while %d events were stored and applied: before %s,"
                + " after %s, rows now %s", total, seqReadBefore, seqReadAfter, rows)
                .allSatisfy(table -> assertThat(seqReadAfter.get(table) - seqReadBefore.get(table))
                        .isLessThanOrEqualTo(3 * rows.get(table)));
    }

    private void sendConcurrently(String prefix, int count) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int sender = 0; sender < SENDERS; sender++) {
                int first = sender;
                sent.add(senders.submit(() -> {
                    for (int i = first; i < count; i += SENDERS) {
                        post(prefix + i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /**
     * One event at a time, about 50 a second, sampling the claim after each: the steady rate a
     * drain is compared with. Each is stored as the webhook stores it (a row of the burst's route,
     * its record key, its payload) but without waking the dispatcher, which would otherwise claim
     * it before the sample most of the time: the dispatcher finds it by its poll
     * ({@code syncline.inbox.poll-interval}), and the sample taken at once sees it pending. A
     * scheduler paces them, 15 ms after each sample.
     */
    private void trickle() throws Exception {
        AtomicInteger next = new AtomicInteger();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        ScheduledExecutorService source = Executors.newSingleThreadScheduledExecutor();
        try {
            source.scheduleWithFixedDelay(() -> {
                int i = next.getAndIncrement();
                if (i >= TRICKLE) {
                    return;
                }
                try {
                    store("trickle-" + i);
                    sampleAs("trickle");
                } catch (SQLException | RuntimeException | Error e) {
                    stored.completeExceptionally(e);
                }
                if (i == TRICKLE - 1) {
                    stored.complete(null);
                }
            }, 0, 15, TimeUnit.MILLISECONDS);
            stored.get(2, TimeUnit.MINUTES);
        } finally {
            source.shutdownNow();
            source.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void store(String id) throws SQLException {
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, payload)"
                        + " SELECT route_id, apply_endpoint, entity, source_system, ?, ? FROM inbox WHERE record_key = 'burst-0'")) {
            insert.setString(1, id);
            insert.setString(2, body(id));
            assertThat(insert.executeUpdate()).as("trickle event %s stored", id).isEqualTo(1);
        }
    }

    private static String body(String id) {
        return "{\"id\": \"" + id + "\", \"email\": \"" + id + "@example.com\", \"firstName\": \"Drain\", \"lastName\": \"Burst\"}";
    }

    private void post(String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(webhook)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(id)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("answer to %s: %s", id, answer.body()).isEqualTo(202);
    }

    private void startDispatcher() throws Exception {
        camel.getRouteController().startRoute("inbox-dispatcher");
    }

    private void sample(long half) {
        try {
            long pending = count("SELECT count(*) FROM inbox WHERE status = 'pending'");
            if (pending > 0) {
                sampleAs(pending > half ? "first half" : "last half");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sampleAs(String phase) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                ClaimPlan plan = ClaimPlan.explain(connection, InboxClaimQuery.bounded(connection).due(), LIMIT);
                long pending = count(connection, "SELECT count(*) FROM inbox WHERE status = 'pending'");
                samples.add(new Sample(phase, pending, plan));
            } finally {
                connection.rollback();
            }
        }
    }

    private static double medianBuffersPerEvent(List<Sample> samples, String phase) {
        List<Double> values = samples.stream().filter(sample -> sample.phase().equals(phase))
                .map(Sample::buffersPerEvent).sorted().toList();
        assertThat(values).as("claims sampled in the %s", phase).hasSizeGreaterThanOrEqualTo(3);
        return values.get(values.size() / 2);
    }

    /** Until nothing is pending or processing, then every event stored so far was applied. */
    private void awaitDrained(long stored, Duration atMost) throws SQLException {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> count("SELECT (SELECT count(*) FROM inbox WHERE status = 'pending')"
                + " + (SELECT count(*) FROM inbox WHERE status = 'processing')") == 0);
        assertThat(count("SELECT count(*) FROM inbox WHERE status = 'done'")).as("events applied").isEqualTo(stored);
    }

    /** The application's connections report their table statistics when idle, at most ten seconds later. */
    private static void awaitStatistics(long events) {
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'inbox'") >= 2 * events);
    }

    private static List<String> analysed() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT relname FROM pg_stat_user_tables WHERE relname IN ('"
                        + String.join("', '", HOT_TABLES) + "') AND (analyze_count > 0 OR autoanalyze_count > 0)")) {
            List<String> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            return tables;
        }
    }

    private static Map<String, Long> sequentiallyRead() throws SQLException {
        return perHotTable("coalesce(seq_tup_read, 0)");
    }

    private static Map<String, Long> liveRows() throws SQLException {
        return perHotTable("n_live_tup");
    }

    private static Map<String, Long> perHotTable(String column) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT relname, " + column + " FROM pg_stat_user_tables"
                        + " WHERE relname IN ('" + String.join("', '", HOT_TABLES) + "')")) {
            Map<String, Long> read = new java.util.HashMap<>();
            while (rows.next()) {
                read.put(rows.getString(1), rows.getLong(2));
            }
            return read;
        }
    }

    /** A count read without a sequential scan of its own (which would count against the application). */
    private static long count(String sql) throws SQLException {
        try (Connection connection = connect()) {
            return count(connection, sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            try (ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Connection connect() throws SQLException {
        return TestDatabase.connect(DATABASE_URL);
    }
}
