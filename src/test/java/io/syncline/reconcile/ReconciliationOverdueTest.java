package io.syncline.reconcile;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.AlertRuleSeries;
import io.syncline.testsupport.Ledgers;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reconciliation scheduled every three seconds whose schedule stops firing (its Quartz triggers
 * paused): past the fire time and {@code syncline.alerts.reconciliation-grace} the notifier tells
 * it overdue, and once the schedule fires again and a run starts, resolved. Two small ledgers of
 * their own, on a state store of its own, so that no other test's schedule or trigger is touched.
 */
@QuarkusTest
@WithTestResource(ReconciliationOverdueTest.ScheduledLedgers.class)
class ReconciliationOverdueTest {

    private static final String JOB = "ledger-every-3s";

    /** The ledgers' model, the notifier telling a Slack stub every change, a grace of 3 s. */
    public static class ScheduledLedgers implements QuarkusTestResourceLifecycleManager {

        private static final String STORE = TestDatabase.siblingUrl("_reconcile_overdue");
        private static final String LEDGERS = TestDatabase.siblingUrl("_reconcile_overdue_ledger");
        private SlackStub slack;
        private Path routes;

        @Override
        public Map<String, String> start() {
            TestDatabase.ensureDatabase(STORE, true);
            TestDatabase.ensureDatabase(LEDGERS, true);
            try {
                Ledgers.create(LEDGERS, 5, 5);
                routes = Ledgers.routes(LEDGERS, JOB, "0/3 * * * * ?");
                slack = new SlackStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.datasource.jdbc.url", STORE,
                    "quarkus.datasource.username", TestDatabase.user(),
                    "quarkus.datasource.password", TestDatabase.password(),
                    "syncline.routes.location", routes.toString(),
                    "LEDGER_DB_USER", TestDatabase.user(),
                    "syncline.alerts.slack-url", slack.url(),
                    "syncline.alerts.interval", "250ms",
                    "syncline.alerts.min-interval", "0s",
                    "syncline.alerts.reconciliation-grace", "3s");
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(slack, new TestInjector.MatchesType(SlackStub.class));
        }

        @Override
        public void stop() {
            slack.close();
            RouteFolders.delete(routes);
        }
    }

    SlackStub slack;
    @Inject
    Scheduler scheduler;

    private long overdueTold(String status) {
        return slack.messages.stream().filter(message -> "SynclineReconciliationOverdue".equals(message.get("alert"))
                && status.equals(message.get("status")) && JOB.equals(message.get("job"))).count();
    }

    private static double overdueSeconds() {
        String series = "syncline_reconciliation_overdue_seconds{entity=\"ledger\",job=\"" + JOB + "\"} ";
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElseThrow();
    }

    private static long runs() {
        return TestDatabase.queryOn(ScheduledLedgers.STORE, "SELECT id FROM reconciliation_run WHERE job = ?", JOB).size();
    }

    @Test
    void aScheduleThatStopsFiringIsOverdueUntilARunStartsAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> runs() > 0);
        // the job's gauge, from the first reading of the store after the model is in force
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(AlertRuleSeries.assertExported(
                given().get("/q/metrics").then().statusCode(200).extract().asString(), AlertRuleSeries.SCHEDULED_RECONCILIATIONS_ONLY))
                .isGreaterThanOrEqualTo(1));
        // a first run late after the start is told and resolved before the test begins
        await().atMost(Duration.ofSeconds(30)).until(() -> overdueSeconds() == 0 && overdueTold("firing") <= overdueTold("resolved"));
        long firing = overdueTold("firing");
        long resolved = overdueTold("resolved");

        GroupMatcher<org.quartz.TriggerKey> schedules = GroupMatcher.triggerGroupEquals(ReconciliationSchedules.GROUP);
        scheduler.pauseTriggers(schedules);
        long before;
        try {
            // no run past the next fire time and the grace: told once
            await().atMost(Duration.ofSeconds(30)).until(() -> overdueTold("firing") > firing);
            assertThat(overdueSeconds()).isPositive();
            before = runs();
        } finally {
            scheduler.resumeTriggers(schedules);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> overdueTold("resolved") > resolved);
        assertThat(runs()).isGreaterThan(before);
        assertThat(overdueTold("firing")).isEqualTo(firing + 1);
    }
}
