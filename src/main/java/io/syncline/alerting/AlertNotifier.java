package io.syncline.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mailer;
import io.quarkus.runtime.StartupEvent;
import io.syncline.config.SynclineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the PrometheusRule's alerts by Syncline itself, for teams without Prometheus: every
 * {@code syncline.alerts.interval} it samples the application's meters, evaluates the conditions
 * ({@link AlertConditions}) and tells each configured channel (Slack, e-mail) of a condition that
 * started or cleared, at most once per condition within {@code syncline.alerts.min-interval}
 * ({@link AlertStates}). Off when no channel is set. Each replica evaluates its own meters.
 */
@ApplicationScoped
public class AlertNotifier {

    private static final Logger LOG = Logger.getLogger(AlertNotifier.class);

    private final SynclineConfig.Alerts settings;
    private final List<AlertChannel> channels = new ArrayList<>();
    private final AlertConditions conditions;
    private final MeterHistory meters;
    private final AlertStates states;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread evaluator = new Thread(runnable, "alert-notifier");
        evaluator.setDaemon(true);
        return evaluator;
    });

    public AlertNotifier(SynclineConfig config, MeterRegistry registry, ObjectMapper mapper, Instance<Mailer> mailer) {
        this.settings = config.alerts();
        settings.slackUrl().filter(url -> !url.isBlank()).ifPresent(url -> channels.add(new SlackWebhook(URI.create(url),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), mapper)));
        settings.emailTo().filter(to -> !to.isEmpty()).ifPresent(to -> channels.add(new EmailChannel(mailer.get(), to)));
        this.conditions = new AlertConditions(settings);
        this.meters = new MeterHistory(registry, conditions.longestWindow().plus(settings.interval()));
        this.states = new AlertStates(settings.minInterval());
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

    /** One evaluation: sample, evaluate, send what is due. A message no channel took is tried again at the next. */
    void evaluate() {
        Instant now = clock.instant();
        meters.sample(now);
        for (AlertMessage message : states.due(conditions.firing(meters), now)) {
            boolean delivered = false;
            for (AlertChannel channel : channels) {
                delivered |= channel.send(message);
            }
            if (delivered) {
                states.sent(message, now);
            }
        }
    }
}
