package io.syncline.poll;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics of change polling, for Prometheus, per entity and polled system:
 * {@code syncline_poll_changes_total} (changes a poll put into the inbox),
 * {@code syncline_poll_failures_total} (polls and key diffs that failed or stopped before the end;
 * the log says why), {@code syncline_poll_deletes_total} (deletions key diffs put into the inbox),
 * and of the last key diff this replica ran, {@code syncline_poll_deletes_missing} (known keys the
 * system no longer has) and {@code syncline_poll_deletes_refused} (1 while it deleted nothing
 * because they were more than a run deletes unconfirmed: alert on it).
 */
@ApplicationScoped
public class PollMetrics {

    @Inject
    MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    void stored(String entity, String system, int changes) {
        registry.counter("syncline.poll.changes", tags(entity, system)).increment(changes);
    }

    void failed(String entity, String system) {
        registry.counter("syncline.poll.failures", tags(entity, system)).increment();
    }

    /** A key diff's run: the known keys gone from the system, whether it was refused, the deletions it stored. */
    void keyDiff(String entity, String system, long missing, boolean refused, int deleted) {
        set("syncline.poll.deletes.missing", entity, system, missing);
        set("syncline.poll.deletes.refused", entity, system, refused ? 1 : 0);
        registry.counter("syncline.poll.deletes", tags(entity, system)).increment(deleted);
    }

    private void set(String name, String entity, String system, long value) {
        Tags tags = tags(entity, system);
        gauges.computeIfAbsent(name + tags, key -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(name, holder, AtomicLong::get).tags(tags).register(registry);
            return holder;
        }).set(value);
    }

    static Tags tags(String entity, String system) {
        return Tags.of("entity", entity, "system", system);
    }
}
