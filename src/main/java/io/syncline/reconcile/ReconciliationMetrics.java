package io.syncline.reconcile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges of the latest trustworthy run per entity and subscriber system, for Prometheus:
 * {@code syncline_reconciliation_quality} (share of the master's records the subscriber holds
 * with equal key fields), its {@code …_quality_threshold}, {@code …_quality_alert} (1 while the
 * score is below the threshold; alert on it), and per job {@code …_differences} and
 * {@code …_trustworthy} (0 after an untrustworthy or failed run).
 */
public final class ReconciliationMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public ReconciliationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(ReconciliationJob job, ReconciliationRun run) {
        Tags jobTags = Tags.of("job", job.name(), "entity", job.entity());
        set("syncline.reconciliation.trustworthy", jobTags, run.trustworthy() ? 1.0 : 0.0);
        if (!run.trustworthy() || run.dryRun()) {
            return;
        }
        set("syncline.reconciliation.differences", jobTags, (double) run.counts().differences());
        Long expected = run.counts().expected();
        set("syncline.reconciliation.expected", jobTags, expected == null ? 0.0 : expected);
        Tags quality = Tags.of("entity", job.entity(), "system", job.subscriber());
        set("syncline.reconciliation.quality", quality, run.qualityScore());
        set("syncline.reconciliation.quality.threshold", quality, job.qualityThreshold());
        set("syncline.reconciliation.quality.alert", quality, run.qualityScore() < job.qualityThreshold() ? 1.0 : 0.0);
    }

    private void set(String name, Tags tags, double value) {
        String id = name + tags;
        values.computeIfAbsent(id, key -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge.builder(name, holder, AtomicReference::get).tags(tags).register(registry);
            return holder;
        }).set(value);
    }
}
