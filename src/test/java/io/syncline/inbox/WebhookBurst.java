package io.syncline.inbox;

import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A burst of webhooks on the Quickstart's CRM webhook, and how billing's writes of its contacts
 * lay in time.
 *
 * <p>For as long as the burst lasts, the intake is told of an accepted webhook every millisecond,
 * on top of the contacts a test posts: they stand in for the rest of a real burst. Posted over
 * HTTP they would be too few: on a shared two-CPU machine a webhook takes 200-900 ms to answer,
 * so some 100 ms windows of {@link IntakePriority} would see none, and the workers would apply
 * side by side in between. The contacts are applied to billing's demo_contact, where a trigger
 * (for this burst's contacts only) logs when each write started and ended and takes 50 ms over
 * it: applies that run side by side overlap there, and applies one at a time never do.
 */
final class WebhookBurst implements AutoCloseable {

    private final String prefix = "burst-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final ScheduledExecutorService intakePressure = Executors.newSingleThreadScheduledExecutor();

    private WebhookBurst() {
    }

    /** Starts logging billing's writes of this burst's contacts and keeping {@code intake}'s rate up. */
    static WebhookBurst start(IntakePriority intake) throws SQLException {
        WebhookBurst burst = new WebhookBurst();
        burst.logWrites();
        burst.intakePressure.scheduleAtFixedRate(intake::accepted, 0, 1, TimeUnit.MILLISECONDS);
        return burst;
    }

    private void logWrites() throws SQLException {
        sql("CREATE TABLE IF NOT EXISTS burst_test_write (seq BIGSERIAL PRIMARY KEY, external_id TEXT NOT NULL,"
                + " started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL)");
        sql("CREATE OR REPLACE FUNCTION burst_test_log() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " DECLARE started TIMESTAMPTZ := clock_timestamp();"
                + " BEGIN"
                + "   IF NEW.external_id LIKE 'burst-%' THEN"
                + "     PERFORM pg_sleep(0.05);"
                + "     INSERT INTO burst_test_write (external_id, started_at, finished_at)"
                + "       VALUES (NEW.external_id, started, clock_timestamp());"
                + "   END IF;"
                + "   RETURN NULL;"
                + " END $$");
        sql("DROP TRIGGER IF EXISTS burst_test_log ON demo_contact");
        sql("CREATE TRIGGER burst_test_log AFTER INSERT OR UPDATE ON demo_contact FOR EACH ROW EXECUTE FUNCTION burst_test_log()");
    }

    /** Posts {@code count} contacts of distinct records at once, from as many senders, and waits until each is applied. */
    void postAndAwaitApplied(int count) {
        ExecutorService senders = Executors.newFixedThreadPool(count);
        try {
            CompletableFuture.allOf(IntStream.range(0, count).mapToObj(i -> CompletableFuture.runAsync(() -> {
                String id = prefix + i;
                DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Burst"));
            }, senders)).toArray(CompletableFuture[]::new)).join();
        } finally {
            senders.shutdown();
        }
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE record_key LIKE ? HAVING COUNT(*) = ?"
                + " AND COUNT(*) = SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END)", prefix + "%", (long) count);
    }

    /** Billing's writes of this burst's contacts. */
    long writes() {
        return count("SELECT COUNT(*) AS n FROM burst_test_write WHERE external_id LIKE ?", prefix + "%");
    }

    /** Pairs of this burst's writes that ran at the same time. */
    long overlappingWrites() {
        return count("SELECT COUNT(*) AS n FROM burst_test_write a JOIN burst_test_write b ON a.seq < b.seq"
                + " AND a.started_at < b.finished_at AND b.started_at < a.finished_at"
                + " WHERE a.external_id LIKE ? AND b.external_id LIKE ?", prefix + "%", prefix + "%");
    }

    /** Ends the burst (within 100 ms every worker applies again) and the logging. */
    @Override
    public void close() throws SQLException {
        intakePressure.shutdownNow();
        sql("DROP TRIGGER IF EXISTS burst_test_log ON demo_contact");
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.query(sql, parameters).get(0).get("n")).longValue();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
