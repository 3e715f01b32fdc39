package io.syncline.poll;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counters of change polling, for Prometheus, per entity and polled system:
 * {@code syncline_poll_changes_total} (changes a poll put into the inbox) and
 * {@code syncline_poll_failures_total} (polls that failed or stopped before the end; the log says why).
 */
@ApplicationScoped
public class PollMetrics {

    private final MeterRegistry registry;

    public PollMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void stored(String entity, String system, int changes) {
        registry.counter("syncline.poll.changes", tags(entity, system)).increment(changes);
    }

    void failed(String entity, String system) {
        registry.counter("syncline.poll.failures", tags(entity, system)).increment();
    }

    static Tags tags(String entity, String system) {
        return Tags.of("entity", entity, "system", system);
    }
}
