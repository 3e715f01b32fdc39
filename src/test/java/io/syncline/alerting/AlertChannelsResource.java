package io.syncline.alerting;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.syncline.testsupport.FaultProxy;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.SmtpServer;
import io.syncline.testsupport.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The alert notifier's two channels, real in the test JVM: a Slack incoming-webhook stub and an SMTP
 * server, with the windows and intervals of the PrometheusRule's conditions shortened to seconds; and
 * the state store, the test's PostgreSQL, behind a fault proxy that a test can partition.
 */
public class AlertChannelsResource implements QuarkusTestResourceLifecycleManager {

    private SlackStub slack;
    private SmtpServer smtp;
    private FaultProxy store;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        // what an earlier run left told in the state store would otherwise be resolved, or not told again, by this one
        if (!TestDatabase.query("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                TestDatabase.STORE_SCHEMA, "alert_notification").isEmpty()) {
            TestDatabase.update("DELETE FROM alert_notification");
        }
        try {
            slack = new SlackStub();
            store = FaultProxy.before(TestDatabase.url());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        smtp = new SmtpServer();
        return Map.ofEntries(
                Map.entry("quarkus.datasource.jdbc.url", store.route(TestDatabase.url())),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()),
                Map.entry("syncline.alerts.slack-url", slack.url()),
                Map.entry("syncline.alerts.email-to", "ops@example.com,oncall@example.com"),
                Map.entry("quarkus.mailer.mock", "false"),
                Map.entry("quarkus.mailer.from", "syncline@example.com"),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", String.valueOf(smtp.port())),
                Map.entry("syncline.alerts.interval", "250ms"),
                Map.entry("syncline.alerts.min-interval", "2s"),
                Map.entry("syncline.alerts.inbox-stall", "7s"),
                Map.entry("syncline.alerts.inbox-age", "6s"),
                Map.entry("syncline.alerts.lag-window", "3s"),
                Map.entry("syncline.alerts.failure-window", "3s"),
                Map.entry("syncline.alerts.failure-minimum", "3"),
                Map.entry("syncline.alerts.dead-letter-window", "3s"),
                Map.entry("syncline.alerts.schema-drift-window", "3"),
                Map.entry("syncline.review.max-age", "1s"));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(slack, new TestInjector.MatchesType(SlackStub.class));
        injector.injectIntoFields(smtp, new TestInjector.MatchesType(SmtpServer.class));
        injector.injectIntoFields(store, new TestInjector.MatchesType(FaultProxy.class));
    }

    @Override
    public void stop() {
        slack.close();
        smtp.close();
        try {
            store.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
