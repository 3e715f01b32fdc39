package io.syncline.connector.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each record of a rolled-back batch's calls came to, kept until its event is applied on its
 * own: a record written is then recorded without a second call, a record refused fails at once
 * with the provider's words. Only for the very write the call made (same event, same target, same
 * row); anything else, or an outcome older than {@link #LIFETIME} (another replica claimed the
 * event, the application restarted), is sent again, and the provider's write repeated changes
 * nothing more.
 *
 * @param <R> what the provider answered for one record
 */
public final class BatchOutcomes<R> {

    public static final Duration LIFETIME = Duration.ofMinutes(5);

    /** One event's write to one target. */
    public record Key(long inboxId, String target) {
    }

    /** The answer {@code result} that {@code call} got for {@code write}, kept at {@code at}. */
    public record Kept<R>(String call, Object write, R result, Instant at) {
    }

    private final Map<Key, Kept<R>> outcomes = new ConcurrentHashMap<>();

    public void put(Key key, String call, Object write, R result) {
        Instant now = Instant.now();
        outcomes.values().removeIf(kept -> kept.at().isBefore(now.minus(LIFETIME)));
        outcomes.put(key, new Kept<>(call, write, result, now));
    }

    /** The outcome of exactly this write, taken out; null when there is none. */
    public Kept<R> take(Key key, Object write) {
        Kept<R> kept = outcomes.remove(key);
        if (kept == null || !Objects.equals(kept.write(), write) || kept.at().isBefore(Instant.now().minus(LIFETIME))) {
            return null;
        }
        return kept;
    }

    /**
     * Adds to {@code keep} what keeps this outcome for the event {@code inboxId} (none when the
     * event is not from the inbox): run only for a batch about to be rolled back.
     */
    public void keepLater(List<Runnable> keep, Long inboxId, String target, String call, Object write, R result) {
        if (inboxId != null) {
            keep.add(() -> put(new Key(inboxId, target), call, write, result));
        }
    }
}
