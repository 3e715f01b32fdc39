package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher applies a claimed batch on several workers at once, and still applies each
 * record's events in the order they were accepted: a batch never holds two events of one record.
 *
 * <p>The target table itself tells what happened: a trigger on billing's demo_contact (for this
 * test's rows only) logs every write with the e-mail written and the time it started and ended,
 * and takes 20 ms over it, so that writes of different records overlap when workers run side by
 * side. The log must show such overlaps (the workers did run in parallel) and, for every contact,
 * its five versions written exactly once each, in order.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxParallelOrderTest {

    private static final int CONTACTS = 20;
    private static final int VERSIONS = 5;

    @BeforeEach
    void logWritesToTheTarget() throws SQLException {
        sql("CREATE TABLE IF NOT EXISTS order_test_write (seq BIGSERIAL PRIMARY KEY, external_id TEXT NOT NULL,"
                + " email TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL)");
        sql("CREATE OR REPLACE FUNCTION order_test_log() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " DECLARE started TIMESTAMPTZ := clock_timestamp();"
                + " BEGIN"
                + "   IF NEW.external_id LIKE 'order-%' THEN"
                + "     PERFORM pg_sleep(0.02);"
                + "     INSERT INTO order_test_write (external_id, email, started_at, finished_at)"
                + "       VALUES (NEW.external_id, NEW.email, started, clock_timestamp());"
                + "   END IF;"
                + "   RETURN NULL;"
                + " END $$");
        sql("DROP TRIGGER IF EXISTS order_test_log ON demo_contact");
        // AFTER: an upsert fires the trigger of what it did (insert or update), not of both.
        sql("CREATE TRIGGER order_test_log AFTER INSERT OR UPDATE ON demo_contact FOR EACH ROW EXECUTE FUNCTION order_test_log()");
    }

    @AfterEach
    void stopLogging() throws SQLException {
        sql("DROP TRIGGER IF EXISTS order_test_log ON demo_contact");
    }

    @Test
    void eventsOfOneRecordApplyInOrderWhileRecordsApplyInParallel() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, CONTACTS).mapToObj(i -> "order-" + run + "-" + i).toList();
        // A burst: every contact's versions posted at once, each contact's in order by a sender of its
        // own, so that several versions of one contact wait in the inbox together (a claim that took
        // them together would apply them side by side) and the contacts' writes have to overlap.
        ExecutorService senders = Executors.newFixedThreadPool(CONTACTS);
        try {
            CompletableFuture.allOf(ids.stream().map(id -> CompletableFuture.runAsync(() -> {
                for (int version = 1; version <= VERSIONS; version++) {
                    DemoWebhook.accept(Map.of("id", id, "email", "v" + version + "." + id + "@example.com", "lastName", "Order"));
                }
            }, senders)).toArray(CompletableFuture[]::new)).join();
        } finally {
            senders.shutdown();
        }

        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE record_key LIKE ? HAVING COUNT(*) = ?"
                + " AND COUNT(*) = SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END)", "order-" + run + "-%",
                (long) CONTACTS * VERSIONS);

        Map<String, List<String>> written = new LinkedHashMap<>();
        for (Map<String, Object> row : TestDatabase.query("SELECT external_id, email FROM order_test_write"
                + " WHERE external_id LIKE ? ORDER BY seq", "order-" + run + "-%")) {
            written.computeIfAbsent((String) row.get("external_id"), id -> new ArrayList<>()).add((String) row.get("email"));
        }
        for (String id : ids) {
            assertThat(written.get(id)).as("writes of %s, in order", id)
                    .containsExactly(IntStream.rangeClosed(1, VERSIONS).mapToObj(v -> "v" + v + "." + id + "@example.com")
                            .toArray(String[]::new));
        }
        assertThat(TestDatabase.query("SELECT COUNT(*) AS overlapping FROM order_test_write a JOIN order_test_write b"
                + " ON a.seq < b.seq AND a.external_id <> b.external_id"
                + " AND a.started_at < b.finished_at AND b.started_at < a.finished_at"
                + " WHERE a.external_id LIKE ? AND b.external_id LIKE ?", "order-" + run + "-%", "order-" + run + "-%")
                .get(0).get("overlapping")).as("writes of different contacts that ran at the same time")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG).isPositive();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
