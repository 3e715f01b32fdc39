package io.syncline.alerting;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.metrics.SourceActivity;
import io.syncline.metrics.SourceActivity.Kind;
import io.syncline.metrics.SourceActivity.Source;
import io.syncline.metrics.SourceActivityStore;
import io.syncline.model.Durations;
import io.syncline.model.EntityDefinition;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each watched source has been silent: a webhook source with a declared
 * {@code silentAfter}, every poll (by default silent after three of its schedule's intervals), and
 * every change capture (silent once no replica has read its source for
 * {@code syncline.alerts.capture-stopped}: it failed or waits everywhere).
 * {@code syncline_source_silence_seconds{entity,system,kind}} is the time since the source last
 * showed it is alive ({@link SourceActivity}: an event accepted, a poll that ran to its end, a
 * capture reading its source), or
 * since this replica first watched it, whichever is newer of every replica's saved marks and this
 * replica's own; {@code syncline_source_silent} is 1 while that is longer
 * than the source's bound. A failing poll, a stopped schedule and a sender that stopped sending
 * all look alike here: nothing has come for too long.
 *
 * <p>Store-wide: each replica saves its marks and reads every replica's in the background
 * ({@link StoreReadings}), so a source that sends to one replica only is not silent on the others.
 * NaN while the store cannot be read.
 */
@Startup
@ApplicationScoped
public class SourceSilence {

    /** A poll is silent after this many of its schedule's intervals without one that ran to its end. */
    static final int POLL_INTERVALS = 3;

    private final SyncModelRegistry registry;
    /** How long a capture may read nothing on every replica: it marks itself every few seconds while it reads. */
    private final Duration captureBound;
    private final MeterRegistry meters;
    private final SourceActivity activity;
    private final StoreReadings.Reading<Map<Source, Instant>> lastSeen;
    private final Map<Source, Instant> watchedSince = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile Bounds bounds;

    public SourceSilence(SyncModelRegistry registry, MeterRegistry meters, SourceActivity activity, SourceActivityStore store,
            StoreReadings readings, SynclineConfig config) {
        this.registry = registry;
        this.captureBound = config.alerts().captureStopped();
        this.meters = meters;
        this.activity = activity;
        this.lastSeen = readings.register(() -> {
            Map<Source, Instant> marks = activity.drain();
            try {
                store.save(marks);
            } catch (Exception e) {
                activity.restore(marks);
                throw e;
            }
            watch();
            return store.lastSeen();
        });
    }

    /** Each watched source's silence now, and its bound; empty for a source no longer watched or before the first reading. */
    Optional<Silence> silence(Source source) {
        Map<Source, Instant> seen = lastSeen.value();
        Duration bound = bounds().get(source);
        if (seen == null || lastSeen.problem() != null || bound == null) {
            return Optional.empty();
        }
        Instant since = seen.getOrDefault(source, watchedSince.getOrDefault(source, clock.instant()));
        Optional<Instant> own = activity.latest(source);
        if (own.isPresent() && own.get().isAfter(since)) {
            since = own.get();
        }
        return Optional.of(new Silence(Duration.between(since, clock.instant()), bound));
    }

    /** How long a source has sent or read nothing, and how long it may. */
    record Silence(Duration length, Duration bound) {

        boolean silent() {
            return length.compareTo(bound) > 0;
        }
    }

    /** The gauges of every source the model watches now, registered once each. */
    private void watch() {
        for (Source source : bounds().keySet()) {
            watchedSince.computeIfAbsent(source, first -> {
                Gauge.builder("syncline.source.silence", this, silence -> silence.silence(source)
                        .map(s -> s.length().toMillis() / 1000.0).orElse(Double.NaN)).baseUnit("seconds")
                        .description("Time since the source last sent an event, was polled to the end or was read by its capture")
                        .tag("entity", source.entity()).tag("system", source.system()).tag("kind", source.kind().code())
                        .register(meters);
                Gauge.builder("syncline.source.silent", this, silence -> silence.silence(source)
                        .map(s -> s.silent() ? 1.0 : 0.0).orElse(Double.NaN))
                        .description("1 while the source has been silent for longer than its bound (silentAfter, capture-stopped)")
                        .tag("entity", source.entity()).tag("system", source.system()).tag("kind", source.kind().code())
                        .register(meters);
                return clock.instant();
            });
        }
    }

    /** The watched sources of the model in force, each with its bound. */
    private Map<Source, Duration> bounds() {
        if (!registry.loaded()) {
            return Map.of();
        }
        CompiledModel model = registry.current();
        Bounds known = bounds;
        if (known == null || known.model() != model) {
            known = new Bounds(model, boundsOf(model, captureBound));
            bounds = known;
        }
        return known.bounds();
    }

    /** The bounds of one model, worked out once: a scrape reads them for each source's two gauges. */
    private record Bounds(CompiledModel model, Map<Source, Duration> bounds) {
    }

    private static Map<Source, Duration> boundsOf(CompiledModel model, Duration captureBound) {
        Map<Source, Duration> bounds = new HashMap<>();
        model.model().entities().forEach((entity, definition) -> {
            definition.webhooks().keySet().stream().filter(definition.silentAfter()::containsKey)
                    .forEach(system -> bounds.put(new Source(entity, system, Kind.WEBHOOK), Durations.parse(definition.silentAfter().get(system))));
            definition.polls().forEach((system, poll) -> pollBound(definition, system, poll.schedule())
                    .ifPresent(bound -> bounds.put(new Source(entity, system, Kind.POLL), bound)));
            definition.captures().keySet().forEach(system -> bounds.put(new Source(entity, system, Kind.CAPTURE), captureBound));
        });
        return Map.copyOf(bounds);
    }

    private static Optional<Duration> pollBound(EntityDefinition definition, String system, String schedule) {
        if (definition.silentAfter().containsKey(system)) {
            return Optional.of(Durations.parse(definition.silentAfter().get(system)));
        }
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            Date next = cron.getNextValidTimeAfter(new Date());
            Date after = next == null ? null : cron.getNextValidTimeAfter(next);
            return after == null ? Optional.empty()
                    : Optional.of(Duration.ofMillis(after.getTime() - next.getTime()).multipliedBy(POLL_INTERVALS));
        } catch (ParseException e) {
            return Optional.empty(); // refused at start-up already
        }
    }
}
