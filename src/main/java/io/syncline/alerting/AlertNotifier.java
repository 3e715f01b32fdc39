package io.syncline.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mailer;
import io.quarkus.runtime.StartupEvent;
import io.syncline.config.SynclineConfig;
import io.syncline.rules.RuleFired;
import io.syncline.store.StateStoreProbe;
import io.syncline.store.StoreTimeouts;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Sends the PrometheusRule's alerts by Syncline itself, for teams without Prometheus: every
 * {@code syncline.alerts.interval} it samples the application's meters, evaluates the conditions
 * ({@link AlertConditions}) and tells each configured channel (Slack, e-mail) of a condition that
 * started or cleared, at most once per condition within {@code syncline.alerts.min-interval}. Off
 * when no channel is set.
 *
 * <p>A store-wide condition ({@link AlertRule}), which every replica reads alike from the shared
 * state store, is told once by the deployment: the replicas keep what was told in the store and
 * the one that wins a change tells it ({@link SharedAlertStates}); while the store is unreachable
 * none is evaluated. Any other condition is this replica's own: kept in memory ({@link AlertStates})
 * and told with the replica's name as label {@code replica}.
 */
@ApplicationScoped
public class AlertNotifier {

    private static final Logger LOG = Logger.getLogger(AlertNotifier.class);
    /**
     * How long a statement on the shared state may wait for the store: each is one row's, and a
     * store slower than this is taken as away until the next evaluation, so that the replica's own
     * alerts (among them that the store is unreachable) are not held up.
     */
    private static final Duration STORE_BOUND = Duration.ofSeconds(5);

    private final SynclineConfig.Alerts settings;
    private final List<AlertChannel> channels;
    private final AlertConditions conditions;
    private final MeterHistory meters;
    private final AlertStates states;
    private final SharedAlertStates shared;
    private final BooleanSupplier storeReachable;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread evaluator = new Thread(runnable, "alert-notifier");
        evaluator.setDaemon(true);
        return evaluator;
    });

    @Inject
    public AlertNotifier(SynclineConfig config, MeterRegistry registry, ObjectMapper mapper, Instance<Mailer> mailer,
            AgroalDataSource store, StateStoreProbe probe) {
        this(config.alerts(), channels(config.alerts(), mapper, mailer), registry, new SharedAlertStates(
                StoreTimeouts.within(store, STORE_BOUND), mapper, hostName(), config.alerts().minInterval(), seenFor(config.alerts())),
                probe::reachable);
    }

    /** A replica's notifier: {@code shared} names the replica and holds the store-wide conditions' state. */
    AlertNotifier(SynclineConfig.Alerts settings, List<AlertChannel> channels, MeterRegistry registry, SharedAlertStates shared,
            BooleanSupplier storeReachable) {
        this.settings = settings;
        this.channels = List.copyOf(channels);
        this.conditions = new AlertConditions(settings);
        this.meters = new MeterHistory(registry, conditions.longestWindow().plus(settings.interval()));
        this.states = new AlertStates(settings.minInterval());
        this.shared = shared;
        this.storeReachable = storeReachable;
    }

    private static List<AlertChannel> channels(SynclineConfig.Alerts settings, ObjectMapper mapper, Instance<Mailer> mailer) {
        List<AlertChannel> channels = new ArrayList<>();
        settings.slackUrl().filter(url -> !url.isBlank()).ifPresent(url -> channels.add(new SlackWebhook(URI.create(url),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), mapper)));
        settings.emailTo().filter(to -> !to.isEmpty()).ifPresent(to -> channels.add(new EmailChannel(mailer.get(), to)));
        return channels;
    }

    /**
     * How long another replica's sighting of a store-wide condition holds it firing: two
     * evaluations, so that one a little behind, or with readings of the store a few seconds older,
     * is waited for.
     */
    static Duration seenFor(SynclineConfig.Alerts settings) {
        return settings.interval().multipliedBy(2);
    }

    /** On Kubernetes the pod's name. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "replica";
        }
    }

    void start(@Observes StartupEvent event) {
        if (!channels.isEmpty()) {
            long every = settings.interval().toMillis();
            thread.scheduleWithFixedDelay(this::evaluateSafely, every, every, TimeUnit.MILLISECONDS);
            LOG.infof("Alert notifier on: channels %s, every %s", channels.stream().map(AlertChannel::name).toList(),
                    settings.interval());
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    private void evaluateSafely() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.warnf("Alert evaluation failed: %s", e.toString());
        }
    }

    /**
     * One evaluation: sample, evaluate, send what is due. A message no channel took is tried again
     * at the next evaluation (of this replica, or of any for a store-wide condition).
     */
    void evaluate() {
        Instant now = clock.instant();
        meters.sample(now);
        List<AlertMessage> firing = conditions.firing(meters);
        List<AlertMessage> own = firing.stream().filter(message -> !AlertRule.storeWide(message))
                .map(message -> message.on(shared.replica())).toList();
        for (AlertMessage message : states.due(own, now)) {
            if (deliver(message)) {
                states.sent(message, now);
            }
        }
        if (!storeReachable.getAsBoolean()) {
            return;
        }
        try {
            for (SharedAlertStates.Claim claim : shared.claim(firing.stream().filter(AlertRule::storeWide).toList(),
                    conditions.undetermined(meters), now)) {
                if (!deliver(claim.message())) {
                    shared.release(claim);
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Store-wide alerts were not evaluated: the state store did not answer: %s", e.getMessage());
        }
    }

    /**
     * A rule {@code alert} of the model fired on an applied change: told at once to every channel, off
     * the apply path (on the notifier's thread), each firing once; with no channel set, only counted.
     */
    void ruleFired(@Observes RuleFired fired) {
        if (channels.isEmpty()) {
            return;
        }
        thread.execute(() -> {
            if (!deliver(ruleMessage(fired))) {
                LOG.warnf("Rule %s of %s fired on %s but no alert channel took the message", fired.rule(), fired.entity(),
                        fired.sourceId());
            }
        });
    }

    /** {@code FIRING SynclineRuleFired {entity=…, rule=…, target=…}: …}, with the values the condition read. */
    static AlertMessage ruleMessage(RuleFired fired) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("entity", fired.entity());
        labels.put("rule", fired.rule());
        labels.put("source", fired.sourceSystem());
        labels.put("target", fired.targetSystem());
        labels.put("record", String.valueOf(fired.canonicalId()));
        return new AlertMessage("SynclineRuleFired", labels, true, "rule " + fired.rule() + " (" + fired.when() + ") met by "
                + fired.entity() + " " + fired.sourceId() + " from " + fired.sourceSystem() + " to " + fired.targetSystem()
                + ": " + fired.values());
    }

    private boolean deliver(AlertMessage message) {
        boolean delivered = false;
        for (AlertChannel channel : channels) {
            delivered |= channel.send(message);
        }
        return delivered;
    }
}
