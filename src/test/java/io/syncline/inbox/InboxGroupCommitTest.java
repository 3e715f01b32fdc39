package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The webhooks' events committed to the inbox together ({@link InboxGroupCommit}): every request
 * answered with its own event's inbox id, nothing lost or stored twice, and an event at fault
 * failing alone.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxGroupCommitTest {

    private static final String APPLY = "direct:demo-contacts-apply";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    /**
     * Through the webhook, from many senders at once: each 202 names the inbox row holding that
     * request's own payload, redeliveries are answered duplicate, and each delivery went through
     * the group commit once.
     */
    @Test
    void concurrentWebhooksAreEachStoredOnceAndAnsweredWithTheirOwnInboxId() throws Exception {
        String prefix = "gc-http-" + UUID.randomUUID();
        int senders = 16;
        int perSender = 25;
        DistributionSummary commits = meters.find("syncline.inbox.intake.commit.events").summary();
        double eventsBefore = commits == null ? 0 : commits.totalAmount();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String[]>>> answers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                answers.add(pool.submit(() -> {
                    start.await();
                    List<String[]> mine = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        String id = prefix + "-" + sender + "-" + i;
                        // Every fifth event is delivered twice, the second time as a redelivery.
                        for (int delivery = 0; delivery < (i % 5 == 0 ? 2 : 1); delivery++) {
                            Map<String, Object> answer = given().contentType(ContentType.JSON)
                                    .header("X-Event-Id", id).body(contact(id))
                                    .when().post("/webhooks/demo/contacts")
                                    .then().statusCode(202).extract().as(Map.class);
                            mine.add(new String[] {id, String.valueOf(answer.get("inboxId")),
                                    String.valueOf(answer.get("status"))});
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<String[]> all = new ArrayList<>();
            for (Future<List<String[]>> answer : answers) {
                all.addAll(answer.get(2, TimeUnit.MINUTES));
            }

            int events = senders * perSender;
            assertThat(all).filteredOn(a -> a[2].equals("accepted")).hasSize(events);
            assertThat(all).filteredOn(a -> a[2].equals("duplicate")).hasSize(senders * 5);
            for (String[] answer : all) {
                List<Map<String, Object>> rows = TestDatabase.query("SELECT event_id, record_key FROM inbox WHERE id = ?",
                        Long.parseLong(answer[1]));
                assertThat(rows).as("inbox row %s answered for event %s", answer[1], answer[0])
                        .containsExactly(Map.of("event_id", answer[0], "record_key", answer[0]));
            }
            assertThat(TestDatabase.query("SELECT count(*) AS n FROM inbox WHERE event_id LIKE ?", prefix + "%"))
                    .containsExactly(Map.of("n", (long) events));
            DistributionSummary after = meters.find("syncline.inbox.intake.commit.events").summary();
            assertThat(after).isNotNull();
            assertThat(after.totalAmount() - eventsBefore).as("deliveries through the group commit, each once")
                    .isEqualTo(all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Events that wait while a commit is under way are committed together by the next committer,
     * in one transaction; an event id stored before, or twice in the batch, inserts nothing, and
     * the ids returned still follow the events they belong to.
     */
    @Test
    void eventsWaitingForACommitAreCommittedTogetherEachWithItsOwnId() throws Exception {
        String prefix = "gc-batch-" + UUID.randomUUID();
        GatedDataSource gated = new GatedDataSource(dataSource);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InboxGroupCommit groupCommit = new InboxGroupCommit(gated, 1, 32, registry);
        long storedBefore = groupCommit.store(event(prefix + "-earlier", prefix + "-earlier"));

        List<InboxGroupCommit.NewEvent> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(event(prefix + "-" + i, prefix + "-" + i));
        }
        waiting.add(3, event(prefix + "-again", prefix + "-earlier"));
        waiting.add(6, event(prefix + "-twin", prefix + "-5"));  // the twin of the event now at 7

        List<Object> results = storeWhileACommitWaits(groupCommit, gated, prefix, waiting);

        assertThat(results.get(3)).as("an event id stored before").isEqualTo(InboxGroupCommit.NOT_STORED);
        // The twins share an event id: whichever the batch holds first is stored, the other not.
        assertThat(List.of(results.get(6), results.get(7))).as("twins").containsOnlyOnce(InboxGroupCommit.NOT_STORED);
        for (int i = 0; i < waiting.size(); i++) {
            if (!results.get(i).equals(InboxGroupCommit.NOT_STORED)) {
                assertThat(TestDatabase.query("SELECT record_key FROM inbox WHERE id = ?", results.get(i)))
                        .as("the row of the id returned for event %d", i)
                        .containsExactly(Map.of("record_key", waiting.get(i).recordKey()));
            }
        }
        assertThat(results).doesNotContain(storedBefore);
        DistributionSummary batches = registry.find("syncline.inbox.intake.commit.events").summary();
        assertThat(batches.count()).as("the event before, the gated one, then all that waited").isEqualTo(3);
        assertThat(batches.max()).isEqualTo(waiting.size());
    }

    /** An event the database refuses fails on its own; the others of its batch are stored. */
    @Test
    void anEventAtFaultFailsAloneAndItsBatchIsStored() throws Exception {
        String prefix = "gc-fault-" + UUID.randomUUID();
        GatedDataSource gated = new GatedDataSource(dataSource);
        InboxGroupCommit groupCommit = new InboxGroupCommit(gated, 1, 32, new SimpleMeterRegistry());
        List<InboxGroupCommit.NewEvent> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waiting.add(event(prefix + "-" + i, prefix + "-" + i));
        }
        // record_key is VARCHAR(200)
        waiting.add(2, event(prefix + "-" + "x".repeat(200), prefix + "-long"));

        List<Object> results = storeWhileACommitWaits(groupCommit, gated, prefix, waiting);

        assertThat(results.get(2)).isInstanceOf(SQLException.class);
        for (int i = 0; i < waiting.size(); i++) {
            if (i != 2) {
                assertThat(TestDatabase.query("SELECT record_key FROM inbox WHERE id = ?", results.get(i)))
                        .containsExactly(Map.of("record_key", waiting.get(i).recordKey()));
            }
        }
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM inbox WHERE event_id LIKE ?", prefix + "%"))
                .containsExactly(Map.of("n", (long) waiting.size()));
    }

    @Test
    void aStoreOutageFailsEveryWaitingEvent() {
        DataSource down = new GatedDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("Connection refused", "08001");
            }
        };
        InboxGroupCommit groupCommit = new InboxGroupCommit(down, 1, 32, new SimpleMeterRegistry());
        assertThatThrownBy(() -> groupCommit.store(event("gc-down", "gc-down")))
                .isInstanceOf(SQLException.class).hasMessage("Connection refused");
    }

    /**
     * Holds a first event's commit at the gate until {@code waiting} are all waiting behind it (one
     * thread each), then opens it; what each store returned or threw, in order.
     */
    private static List<Object> storeWhileACommitWaits(InboxGroupCommit groupCommit, GatedDataSource gated,
                                                       String prefix, List<InboxGroupCommit.NewEvent> waiting)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(waiting.size() + 1);
        try {
            gated.close();
            List<Thread> threads = new ArrayList<>();
            Future<Long> first = pool.submit(() -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
                return groupCommit.store(event(prefix + "-gated", prefix + "-gated"));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> gated.waiters() == 1);
            List<Future<Object>> results = new ArrayList<>();
            for (InboxGroupCommit.NewEvent event : waiting) {
                results.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    try {
                        return (Object) groupCommit.store(event);
                    } catch (SQLException e) {
                        return e;
                    }
                }));
            }
            // Every store is parked, waiting for the committer's place the gated commit holds.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                synchronized (threads) {
                    return threads.size() == waiting.size() + 1 && threads.stream().skip(1)
                            .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING);
                }
            });
            gated.open();
            assertThat(first.get(10, TimeUnit.SECONDS)).isPositive();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> result : results) {
                outcomes.add(result.get(10, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static InboxGroupCommit.NewEvent event(String recordKey, String eventId) {
        return new InboxGroupCommit.NewEvent("demo-contacts-webhook", APPLY, "contact", "crm", recordKey, eventId,
                contact(recordKey));
    }

    private static String contact(String id) {
        return "{\"id\":\"" + id + "\",\"email\":\"" + Math.abs(id.hashCode()) + "@example.com\",\"firstName\":\"Group\","
                + "\"lastName\":\"Commit\",\"updatedAt\":\"2024-06-01T08:00:00Z\"}";
    }

    /** The application's data source, with a gate that can hold connections back. */
    private static class GatedDataSource implements DataSource {

        private final DataSource delegate;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final java.util.concurrent.atomic.AtomicInteger waiters = new java.util.concurrent.atomic.AtomicInteger();

        GatedDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        int waiters() {
            return waiters.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            waiters.incrementAndGet();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new SQLException("the test's gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            } finally {
                waiters.decrementAndGet();
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return delegate.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return delegate.isWrapperFor(type);
        }
    }
}
