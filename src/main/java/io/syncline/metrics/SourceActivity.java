package io.syncline.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signs of life of this replica's sources, kept in memory until {@link SourceActivityStore}
 * saves them: a webhook's event accepted, a poll that ran to its end, a capture reading its
 * source. A mark is one map write, so
 * the intake of an event pays nothing for it (a capture marks itself every few seconds while it
 * reads its source, whether changes come or not); the background reading of the sources' silence
 * takes the marks ({@link #drain}) and saves the newest of each source in the state store, where
 * every replica's meet.
 */
@ApplicationScoped
public class SourceActivity {

    /** How a source reaches Syncline; a capture's sign of life is that it reads its source's log or stream. */
    public enum Kind {

        WEBHOOK,
        POLL,
        CAPTURE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** One source of one entity. */
    public record Source(String entity, String system, Kind kind) {
    }

    private final Map<Source, Instant> unsaved = new ConcurrentHashMap<>();
    private final Map<Source, Instant> latest = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /** {@code system} showed now that it sends or gives {@code entity}'s changes. */
    public void seen(String entity, String system, Kind kind) {
        Source source = new Source(entity, system, kind);
        Instant now = clock.instant();
        unsaved.put(source, now);
        latest.put(source, now);
    }

    /** This replica's own newest mark of {@code source}, saved or not: what it knows before the store does. */
    public Optional<Instant> latest(Source source) {
        return Optional.ofNullable(latest.get(source));
    }

    /** The marks not saved yet, taken out: each source's newest. */
    public Map<Source, Instant> drain() {
        Map<Source, Instant> taken = new HashMap<>();
        for (Source source : unsaved.keySet()) {
            Instant at = unsaved.remove(source);
            if (at != null) {
                taken.put(source, at);
            }
        }
        return taken;
    }

    /** Marks {@link #drain} took that could not be saved, given back unless a newer one came meanwhile. */
    public void restore(Map<Source, Instant> marks) {
        marks.forEach((source, at) -> unsaved.merge(source, at, (newer, older) -> newer.isAfter(older) ? newer : older));
    }
}
