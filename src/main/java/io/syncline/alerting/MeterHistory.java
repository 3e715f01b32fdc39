package io.syncline.alerting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The application's own meters as the alert conditions read them: gauges as they are now, and a
 * short history of the counters and gauges whose change over a window matters (the events by
 * outcome, the inbox's depth, the dead letters, the lag histogram), sampled at each evaluation
 * and kept for the longest window. What Prometheus' {@code increase} and {@code min_over_time}
 * compute from its scrapes, computed from these samples.
 */
final class MeterHistory {

    static final String DEPTH = "inbox.depth";
    static final String DEAD_LETTERS = "dead.letters";
    static final String LAG_COUNT = "lag.count";

    private final MeterRegistry registry;
    private final Duration keep;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Values by name; {@code lagAtOrBelow}: changes applied with at most that lag (seconds), cumulative. */
    private record Sample(Instant at, Map<String, Double> values, TreeMap<Double, Double> lagAtOrBelow) {
    }

    MeterHistory(MeterRegistry registry, Duration keep) {
        this.registry = registry;
        this.keep = keep;
    }

    /** Takes this evaluation's sample and forgets those older than the longest window needs. */
    synchronized void sample(Instant now) {
        Map<String, Double> values = new HashMap<>();
        for (Counter counter : registry.find("syncline.events").counters()) {
            values.merge("events." + counter.getId().getTag("outcome"), counter.count(), Double::sum);
        }
        values.put(DEPTH, gauge("syncline.inbox.depth"));
        values.put(DEAD_LETTERS, gauge("syncline.dead.letters"));
        TreeMap<Double, Double> lag = new TreeMap<>();
        double lagCount = 0;
        for (Timer timer : registry.find("syncline.sync.lag").timers()) {
            lagCount += timer.count();
            for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
                lag.merge(bucket.bucket(TimeUnit.SECONDS), bucket.count(), Double::sum);
            }
        }
        values.put(LAG_COUNT, lagCount);
        samples.addLast(new Sample(now, values, lag));
        // the first sample kept is the last one at or before the longest window's start
        Instant from = now.minus(keep);
        while (samples.size() > 2 && !secondOldest().at().isAfter(from)) {
            samples.removeFirst();
        }
    }

    /** The latest sample's value (NaN while a store-backed gauge is not fresh; 0 for a counter not made yet). */
    synchronized double latest(String name) {
        return samples.isEmpty() ? Double.NaN : samples.getLast().values().getOrDefault(name, 0.0);
    }

    /** How much a value grew over the window: the latest sample against the last one taken at or before its start. */
    synchronized double increase(String name, Duration window) {
        return samples.isEmpty() ? 0 : latest(name) - start(window).values().getOrDefault(name, 0.0);
    }

    /** Whether the samples cover the whole window: the earliest was taken at or before its start. */
    synchronized boolean covers(Duration window) {
        return !samples.isEmpty() && !samples.getFirst().at().isAfter(samples.getLast().at().minus(window));
    }

    /** The smallest value over the window, or NaN while the samples do not yet cover all of it. */
    synchronized double minOver(String name, Duration window) {
        if (!covers(window)) {
            return Double.NaN;
        }
        return samples.stream().filter(s -> !s.at().isBefore(start(window).at()))
                .mapToDouble(s -> s.values().getOrDefault(name, Double.NaN)).min().orElse(Double.NaN);
    }

    /** Of the changes applied within the window, the share whose lag exceeded {@code threshold} (by the histogram's buckets); NaN if none. */
    synchronized double shareSlowerThan(Duration threshold, Duration window) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        Sample first = start(window);
        Sample last = samples.getLast();
        double applied = last.values().getOrDefault(LAG_COUNT, 0.0) - first.values().getOrDefault(LAG_COUNT, 0.0);
        if (applied <= 0) {
            return Double.NaN;
        }
        double seconds = threshold.toMillis() / 1000.0;
        double fast = atOrBelow(last, seconds) - atOrBelow(first, seconds);
        return (applied - fast) / applied;
    }

    /** Gauges of {@code name} now, by their tags. */
    Map<Map<String, String>, Double> gauges(String name) {
        Map<Map<String, String>, Double> found = new HashMap<>();
        for (Gauge gauge : registry.find(name).gauges()) {
            Map<String, String> tags = new TreeMap<>();
            for (Tag tag : gauge.getId().getTags()) {
                tags.put(tag.getKey(), tag.getValue());
            }
            found.put(tags, gauge.value());
        }
        return found;
    }

    private double gauge(String name) {
        List<Gauge> gauges = List.copyOf(registry.find(name).gauges());
        return gauges.isEmpty() ? Double.NaN : gauges.get(0).value();
    }

    private static double atOrBelow(Sample sample, double seconds) {
        Map.Entry<Double, Double> bucket = sample.lagAtOrBelow().floorEntry(seconds);
        return bucket == null ? 0 : bucket.getValue();
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }

    /** The last sample taken at or before the window's start, else the earliest. */
    private Sample start(Duration window) {
        Instant from = samples.getLast().at().minus(window);
        Sample start = samples.getFirst();
        for (Sample sample : samples) {
            if (sample.at().isAfter(from)) {
                break;
            }
            start = sample;
        }
        return start;
    }
}
