package io.syncline.inbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.store.Reachability;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The inbox topic as the brokers see it ({@code syncline.inbox.mode=kafka}; in the PostgreSQL mode
 * it starts nothing). Every {@code syncline.inbox.kafka.probe-interval}, on a thread of its own, it
 * asks the brokers ({@link KafkaInboxOffsets}), waiting at most {@code probe-timeout}, for the
 * topic's partitions, their first and last offsets and the consumer group's committed ones, and
 * keeps the answer: the group's lag (per partition the end minus the committed offset, or minus
 * the first offset where the group committed none) and how long a partition has held records
 * without its offset moving ({@link KafkaInboxProgress}). Readiness ({@link KafkaInboxHealthCheck})
 * and the gauges read it at once; nothing asks the brokers on a request's thread.
 *
 * <p>The brokers count as unreachable once a probe failed, or when none has answered for the
 * interval and the timeout together ({@link Reachability}, which logs the outage's start and end).
 * While the brokers are unreachable, or the topic does not exist (no send could be acknowledged),
 * readiness is DOWN, and the probe asks again every second at most, so that readiness is UP soon
 * after they are back.
 */
@ApplicationScoped
public class KafkaInboxProbe {

    private static final Logger LOG = Logger.getLogger(KafkaInboxProbe.class);
    /** The longest pause between probes while the brokers or the topic are missing. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final SynclineConfig.Inbox inbox;
    private final CamelContext camel;
    private final MeterRegistry meters;
    private final HealthRegistry readiness;
    private final Clock clock = Clock.systemUTC();
    private final KafkaInboxProgress progress = new KafkaInboxProgress();
    private ScheduledExecutorService thread;
    private KafkaInboxOffsets offsets;
    /** Made at start in Kafka mode. */
    private volatile Reachability brokers;
    private volatile Long lag;
    private volatile Double stallSeconds;
    private volatile boolean topicExists = true;

    public KafkaInboxProbe(SynclineConfig config, CamelContext camel, MeterRegistry meters, @Readiness HealthRegistry readiness) {
        this.inbox = config.inbox();
        this.camel = camel;
        this.meters = meters;
        this.readiness = readiness;
    }

    void start(@Observes StartupEvent event) {
        if (inbox.mode() != SynclineConfig.Inbox.InboxMode.KAFKA) {
            return;
        }
        SynclineConfig.Inbox.KafkaInbox kafka = inbox.kafka();
        brokers = new Reachability(kafka.probeInterval().plus(kafka.probeTimeout()), clock, LOG,
                "The inbox topic's brokers (" + kafka.brokers().replace("%", "%%") + ") are unreachable: %s. Readiness is DOWN until they answer again",
                "The inbox topic's brokers answer again, after %d s unreachable");
        Gauge.builder("syncline.inbox.kafka.lag", this, probe -> probe.fresh(probe.lag))
                .description("Records of the inbox topic the consumer group has not committed, all partitions together")
                .register(meters);
        Gauge.builder("syncline.inbox.kafka.stall", this, probe -> probe.fresh(probe.stallSeconds))
                .description("Longest a partition of the inbox topic has held records without the consumer group's offset moving")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("syncline.inbox.kafka.reachable", this, probe -> probe.brokers.reachable() ? 1 : 0)
                .description("1 while the inbox topic's brokers answer the background probe, 0 while they do not")
                .register(meters);
        readiness.register(KafkaInboxHealthCheck.NAME, new KafkaInboxHealthCheck(this));
        offsets = new KafkaInboxOffsets(kafka, camel.getComponent("kafka", KafkaComponent.class).getConfiguration());
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread probe = new Thread(runnable, "kafka-inbox-probe");
            probe.setDaemon(true);
            return probe;
        });
        thread.execute(this::probeAndReschedule);
    }

    /**
     * One probe, and the next after the interval; after {@link #RETRY} at most while the brokers
     * or the topic are missing, so that readiness is UP again soon after they are back.
     */
    private void probeAndReschedule() {
        probe();
        Duration next = inbox.kafka().probeInterval();
        if (!brokers.reachable() || !topicExists) {
            next = next.compareTo(RETRY) < 0 ? next : RETRY;
        }
        try {
            thread.schedule(this::probeAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the application stops
        }
    }

    @PreDestroy
    void stop() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            if (thread.awaitTermination(inbox.kafka().probeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                offsets.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String topic() {
        return inbox.kafka().topic();
    }

    String groupId() {
        return inbox.kafka().groupId();
    }

    /** What the probe last heard from the brokers. */
    Reachability brokers() {
        return brokers;
    }

    /** The group's lag at the last answer, or null before the first. */
    Long lag() {
        return lag;
    }

    /** Whether the topic existed at the last answer. */
    boolean topicExists() {
        return topicExists;
    }

    /** A figure of the last answer; none (NaN) while the brokers are unreachable, so that an old figure is not taken for today's. */
    private double fresh(Number value) {
        return value == null || !brokers.reachable() ? Double.NaN : value.doubleValue();
    }

    /** One probe: runs on the probe's thread. */
    void probe() {
        try {
            KafkaInboxOffsets.Reading reading = offsets.read();
            Instant now = clock.instant();
            progress.observe(reading.partitions(), now);
            topicExists = reading.topicExists();
            lag = reading.partitions().values().stream().mapToLong(KafkaInboxProgress.Offsets::lag).sum();
            stallSeconds = progress.longestStall(now).toMillis() / 1000.0;
            brokers.answered();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            failed(e.getCause() != null ? e.getCause() : e);
        } catch (TimeoutException e) {
            failed(new TimeoutException("no answer within " + inbox.kafka().probeTimeout().toMillis() + " ms"));
        } catch (RuntimeException e) {
            // a KafkaException (an address that does not resolve) or anything else: the probe goes on
            failed(e);
        }
    }

    /** The failure's message, with its root cause's where that says more ("Failed to create new KafkaAdminClient: …"). */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return root == e || root.getMessage() == null ? message : message + ": " + root.getMessage();
    }

    private void failed(Throwable e) {
        brokers.failed(describe(e));
    }
}
