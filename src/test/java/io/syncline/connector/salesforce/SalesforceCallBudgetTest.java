package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.model.Environment;
import io.syncline.model.FieldMapping;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.TestDatabase;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Salesforce system's dailyCallBudget is never passed: calls are reserved in PostgreSQL (the
 * V35 table) before they are made, by replicas at once, by the component's logins and writes,
 * and by the REST pull. An org's REQUEST_LIMIT_EXCEEDED pauses calls as its own limits (/limits) say: for
 * seconds where its daily allocation is not spent (the concurrent request limit), else until they say
 * requests remain.
 */
class SalesforceCallBudgetTest {

    private static final String URL = TestDatabase.siblingUrl("_sf_budget");
    private static final Environment ENVIRONMENT = Map.of("SF_CLIENT_ID", SalesforceStub.CLIENT_ID,
            "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET)::get;
    private static final Instant NOON = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-27T00:00:00Z");

    private static PGSimpleDataSource dataSource;

    private SalesforceStub org;
    private DefaultCamelContext camel;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void table() throws Exception {
        TestDatabase.ensureDatabase(URL, true);
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(URL);
        dataSource.setUser(TestDatabase.user());
        dataSource.setPassword(TestDatabase.password());
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute(Files.readString(
                    Path.of("src/main/resources/db/migration/V35__salesforce_call_budget.sql")));
        }
    }

    @BeforeEach
    void start() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("DELETE FROM salesforce_call_budget");
        }
        org = new SalesforceStub();
        org.fields("Contact", "LastName", "Email");
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        org.close();
    }

    private SalesforceSettings system(Long budget) {
        return new SalesforceSettings(org.baseUrl(), "62.0", new SecretRef("SF_CLIENT_ID", null),
                new SecretRef("SF_CLIENT_SECRET", null), null, null, null, null, null, null, null, budget, null, null, null);
    }

    private SalesforceCallBudget budget(Clock clock) {
        return new SalesforceCallBudget(dataSource, meters, clock);
    }

    private SalesforceClient client(SalesforceCallBudget budget) {
        return new SalesforceClient(camel.createProducerTemplate(), new SalesforceComponents(camel, ENVIRONMENT, budget),
                new ObjectMapper(), budget);
    }

    private long stored(String kind) {
        List<Map<String, Object>> rows = TestDatabase.queryOn(URL,
                "SELECT coalesce(sum(calls), 0) AS calls FROM salesforce_call_budget WHERE system_name = 'crm' AND kind = ?", kind);
        return ((Number) rows.get(0).get("calls")).longValue();
    }

    @Test
    void replicasReservingAtOnceNeverPassTheBudgetTogether() throws Exception {
        SalesforceSettings system = system(25L);
        List<SalesforceCallBudget> replicas = List.of(budget(Clock.fixed(NOON, ZoneOffset.UTC)),
                budget(Clock.fixed(NOON, ZoneOffset.UTC)), budget(Clock.fixed(NOON, ZoneOffset.UTC)));
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Callable<Integer>> askers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SalesforceCallBudget replica = replicas.get(i % replicas.size());
            String kind = i % 2 == 0 ? "query" : "update";
            askers.add(() -> {
                int taken = 0;
                for (int call = 0; call < 10; call++) {
                    try {
                        replica.reserve("crm", system, kind);
                        taken++;
                    } catch (SalesforceBudgetSpentException spent) {
                        assertThat(spent.until()).isEqualTo(MIDNIGHT);
                    }
                }
                return taken;
            });
        }
        int taken = 0;
        for (Future<Integer> asker : threads.invokeAll(askers)) {
            taken += asker.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        // 120 calls asked for, 25 allowed: 25 taken, and the store's counts say the same
        assertThat(taken).isEqualTo(25);
        assertThat(stored(SalesforceCallBudget.TOTAL)).isEqualTo(25);
        assertThat(stored("query") + stored("update")).isEqualTo(25);
    }

    @Test
    void theComponentsLoginAndWritesStopAtTheBudgetAndTheOrgSeesNoMore() throws Exception {
        SalesforceCallBudget budget = budget(Clock.fixed(NOON, ZoneOffset.UTC));
        SalesforceClient client = client(budget);
        SalesforceClient.Target target = new SalesforceClient.Target("crm", system(5L), "Contact");
        int written = 0;
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            try {
                client.create(target, Map.of("LastName", "Budget" + i));
                written++;
            } catch (SalesforceBudgetSpentException spent) {
                assertThat(spent.until()).isEqualTo(MIDNIGHT);
                assertThat(spent.getMessage()).contains("daily call budget of 5 is spent");
                refused++;
            }
        }

        // one login and four creates: five calls reached the org, the budget's five
        assertThat(org.logins.size() + org.calls.size()).isEqualTo(5);
        assertThat(written).isEqualTo(4);
        assertThat(refused).isEqualTo(6);
        assertThat(org.records("Contact")).hasSize(4);
        assertThat(stored("login")).isEqualTo(1);
        assertThat(stored("create")).isEqualTo(4);
        assertThat(meters.get("syncline.salesforce.calls").tags("system", "crm", "kind", "create").counter().count()).isEqualTo(4);
        assertThat(meters.get("syncline.salesforce.budget.remaining").tags("system", "crm").gauge().value()).isZero();
        assertThat(budget.usage("crm")).get().satisfies(usage -> {
            assertThat(usage.used()).isEqualTo(5);
            assertThat(usage.waitingUntil()).isEqualTo(MIDNIGHT);
            assertThat(usage.connection()).isEqualTo("connected");
        });
    }

    @Test
    void aRestPullStopsAtTheBudgetNamingWhenCallsResume() throws Exception {
        org.records("Contact", contacts(450));
        SalesforceCallBudget budget = budget(Clock.fixed(NOON, ZoneOffset.UTC));
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        SalesforceRecordPuller puller = new SalesforceRecordPuller(http, json,
                new SalesforceSessions(new SalesforceComponents(camel, ENVIRONMENT, budget)));
        SalesforceSettings system = system(5L);
        SystemMapping mapping = SystemMapping.of("Id", List.of(
                new FieldMapping("email", "Email", null, null, null)), null, Map.of("sobject", "Contact"));
        List<Map<String, Object>> pulled = new ArrayList<>();

        puller.pull(new PullRequest("contact", "crm", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system), mapping, 200), pulled::addAll);
        assertThatThrownBy(() -> puller.pull(new PullRequest("contact", "crm", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system), mapping, 200),
                pulled::addAll))
                .isInstanceOf(PullException.class)
                .hasMessageContaining("daily call budget of 5 is spent")
                .hasMessageContaining("calls resume at " + MIDNIGHT);

        // a login and three pages, then one page of the second pull: five calls, no sixth
        assertThat(org.logins.size() + org.calls.size()).isEqualTo(5);
        assertThat(stored("query")).isEqualTo(4);
        assertThat(pulled).hasSize(450 + 200);
    }

    @Test
    void aReconciliationPullWaitsForTheBudgetAndGoesOnFromThePageItWasAt() throws Exception {
        org.records("Contact", contacts(450));
        AtomicReference<Instant> now = new AtomicReference<>(NOON);
        SalesforceCallBudget budget = budget(clock(now));
        SalesforceRecordPuller puller = waitingPuller(budget);
        List<Map<String, Object>> pulled = new ArrayList<>();
        List<Instant> waits = new ArrayList<>();
        PageSink sink = sink(pulled, Duration.ofMinutes(1), (until, reason) -> {
            waits.add(until);
            if (until != null) {
                assertThat(reason).contains("daily call budget of 3 is spent");
                // the budget is back at the next UTC midnight
                now.set(MIDNIGHT.plusSeconds(1));
            }
        });

        PullResult result =
                puller.pull(new PullRequest("contact", "crm", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system(3L)), mapping(), 200), sink);

        // a login and two pages spend the day; after midnight the third page, not the first again
        assertThat(result.reachedEnd()).isTrue();
        assertThat(pulled).hasSize(450);
        assertThat(pulled).extracting(record -> record.get("Id")).doesNotHaveDuplicates();
        assertThat(org.logins).hasSize(1);
        assertThat(org.calls).hasSize(3);
        assertThat(waits).containsExactly(MIDNIGHT, null);
        assertThat(TestDatabase.queryOn(URL, "SELECT calls FROM salesforce_call_budget WHERE kind = '*' ORDER BY call_day"))
                .extracting(row -> ((Number) row.get("calls")).longValue()).containsExactly(3L, 1L);
    }

    @Test
    void aReconciliationPullThatWaitedAsLongAsItMayIsDeferredWithoutAnotherCall() throws Exception {
        org.records("Contact", contacts(450));
        SalesforceRecordPuller puller = waitingPuller(budget(Clock.fixed(NOON, ZoneOffset.UTC)));
        List<Map<String, Object>> pulled = new ArrayList<>();
        List<Instant> waits = new ArrayList<>();

        assertThatThrownBy(
                () -> puller.pull(new PullRequest("contact", "crm", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system(3L)), mapping(), 200),
                        sink(pulled, Duration.ofMillis(300), (until, reason) -> waits.add(until))))
                .isInstanceOf(PullException.class)
                .hasMessageStartingWith("deferred: ")
                .hasMessageContaining("calls resume at " + MIDNIGHT);

        assertThat(pulled).hasSize(400);
        assertThat(org.logins.size() + org.calls.size()).isEqualTo(3);
        assertThat(waits).contains(MIDNIGHT).last().isNull();
    }

    private SalesforceRecordPuller waitingPuller(SalesforceCallBudget budget) {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        return new SalesforceRecordPuller(http, json, new SalesforceSessions(new SalesforceComponents(camel, ENVIRONMENT, budget)),
                null, Duration.ofMillis(20));
    }

    private static SystemMapping mapping() {
        return SystemMapping.of("Id", List.of(new FieldMapping("email", "Email", null, null, null)), null, Map.of("sobject", "Contact"));
    }

    /** A reconciliation's sink: it takes pages, may wait as long as {@code longest}, and is told of each wait. */
    private static PageSink sink(List<Map<String, Object>> pulled, Duration longest, BiConsumer<Instant, String> waiting) {
        return new PageSink() {

            @Override
            public void accept(List<Map<String, Object>> page) {
                pulled.addAll(page);
            }

            @Override
            public Duration longestBudgetWait() {
                return longest;
            }

            @Override
            public void waiting(Instant until, String reason) {
                waiting.accept(until, reason);
            }
        };
    }

    private static Clock clock(AtomicReference<Instant> now) {
        return new Clock() {

            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    /** The org's requests so far, its limits read apart. */
    private List<SalesforceStub.Call> requests() {
        return org.calls.stream().filter(call -> !call.path().startsWith("/limits")).toList();
    }

    @Test
    void aConcurrentRequestLimitPausesCallsForSecondsNotUntilMidnight() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(NOON);
        SalesforceClient client = client(budget(clock(now)));
        SalesforceClient.Target target = new SalesforceClient.Target("crm", system(null), "Contact");
        org.concurrentLimitExceededFor(1);

        assertThatThrownBy(() -> client.create(target, Map.of("LastName", "Busy")))
                .isInstanceOfSatisfying(SalesforceBudgetSpentException.class, spent -> {
                    assertThat(spent.until()).isEqualTo(NOON.plus(SalesforceCallGate.CONCURRENT_PAUSE));
                    assertThat(spent.getMessage()).contains("ConcurrentPerOrgLongTxn Limit exceeded.")
                            .contains("daily API requests remain");
                });
        // the org's limits were read to tell the two limits apart
        assertThat(org.limitReads).hasValue(1);
        int sent = requests().size();

        // within the pause nothing is sent; seconds later, calls go again
        now.set(NOON.plusSeconds(2));
        assertThatThrownBy(() -> client.create(target, Map.of("LastName", "Paused")))
                .isInstanceOf(SalesforceBudgetSpentException.class);
        assertThat(requests()).hasSize(sent);
        now.set(NOON.plus(SalesforceCallGate.CONCURRENT_PAUSE).plusSeconds(1));
        assertThat(client.create(target, Map.of("LastName", "Later")).id()).isNotNull();

        assertThat(org.records("Contact")).extracting(record -> record.get("LastName")).containsExactly("Later");
        assertThat(TestDatabase.queryOn(URL, "SELECT limit_reached_at FROM salesforce_call_budget WHERE kind = '*'"))
                .extracting(row -> row.get("limit_reached_at")).containsOnlyNulls();
    }

    @Test
    void aSpentDailyAllocationWaitsUntilTheOrgsLimitsSayRequestsRemain() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(NOON);
        SalesforceClient client = client(budget(clock(now)));
        SalesforceClient.Target target = new SalesforceClient.Target("crm", system(null), "Contact");
        Instant recheck = NOON.plus(SalesforceCallBudget.ALLOCATION_RECHECK);
        org.requestLimitExceeded = true;

        assertThatThrownBy(() -> client.create(target, Map.of("LastName", "Limited")))
                .isInstanceOfSatisfying(SalesforceBudgetSpentException.class, spent -> {
                    assertThat(spent.until()).isEqualTo(recheck);
                    assertThat(spent.getMessage()).contains("REQUEST_LIMIT_EXCEEDED").contains("no daily API requests remain");
                });
        int sent = requests().size();
        // another replica, the same store: it sends nothing either, nor reads the limits again
        DefaultCamelContext replica = new DefaultCamelContext();
        replica.start();
        try {
            SalesforceCallBudget budget = budget(clock(now));
            SalesforceClient other = new SalesforceClient(replica.createProducerTemplate(),
                    new SalesforceComponents(replica, ENVIRONMENT, budget), new ObjectMapper(), budget);
            assertThatThrownBy(() -> other.create(target, Map.of("LastName", "Elsewhere")))
                    .isInstanceOfSatisfying(SalesforceBudgetSpentException.class,
                            spent -> assertThat(spent.until()).isEqualTo(recheck));
        } finally {
            replica.stop();
        }
        assertThat(org.limitReads).hasValue(1);

        // at the re-check the limits still say none remain: the call waits on, unsent
        now.set(recheck.plusSeconds(1));
        assertThatThrownBy(() -> client.create(target, Map.of("LastName", "Still limited")))
                .isInstanceOfSatisfying(SalesforceBudgetSpentException.class, spent -> assertThat(spent.until())
                        .isEqualTo(recheck.plusSeconds(1).plus(SalesforceCallBudget.ALLOCATION_RECHECK)));
        assertThat(org.limitReads).hasValue(2);
        assertThat(requests()).hasSize(sent);

        // the rolling window gave requests back: the next re-check reads so, and the call is made
        org.requestLimitExceeded = false;
        now.set(recheck.plusSeconds(2).plus(SalesforceCallBudget.ALLOCATION_RECHECK));
        assertThat(client.create(target, Map.of("LastName", "Back")).id()).isNotNull();

        assertThat(org.limitReads).hasValue(3);
        assertThat(org.records("Contact")).extracting(record -> record.get("LastName")).containsExactly("Back");
    }

    @Test
    void theNextUtcDayHasItsBudgetAgain() {
        SalesforceSettings system = system(2L);
        SalesforceCallBudget today = budget(Clock.fixed(NOON, ZoneOffset.UTC));
        today.reserve("crm", system, "query");
        today.reserve("crm", system, "query");
        assertThatThrownBy(() -> today.reserve("crm", system, "query")).isInstanceOf(SalesforceBudgetSpentException.class);

        SalesforceCallBudget tomorrow = budget(Clock.fixed(MIDNIGHT.plusSeconds(1), ZoneOffset.UTC));
        tomorrow.reserve("crm", system, "query");

        assertThat(TestDatabase.queryOn(URL, "SELECT call_day, calls FROM salesforce_call_budget WHERE kind = '*' ORDER BY call_day"))
                .extracting(row -> ((Number) row.get("calls")).longValue()).containsExactly(2L, 1L);
    }

    static List<Map<String, Object>> contacts(int count) {
        List<Map<String, Object>> contacts = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            contacts.add(Map.of("Id", String.format("003STUB%08d", i), "Email", "user" + i + "@example.com"));
        }
        return contacts;
    }
}
