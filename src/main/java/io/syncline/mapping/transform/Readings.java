package io.syncline.mapping.transform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.function.Function;

/**
 * Memo of what a parsing transform made of a text. Parsing a phone number costs ~10 µs and a
 * date-time a few; the same texts come back with every update of a record and with every
 * reconciliation run over unchanged records. Bounded, so memory stays a few MB per transform.
 * <p>
 * A text enters the memo when it is read a second time. A reconciliation's first run reads a
 * million texts once each, and putting every one into the cache (and evicting another for it) cost
 * 5-10 % of a phone reading (CPU time per one-off GB number), for entries never read again. A
 * first reading only leaves the text's hash in a table of recent sightings; a text read again
 * while its hash is still there is memoised, so a record updated twice costs one reading more.
 */
final class Readings<V> {

    static final int SIZE = 50_000;
    /** Recent first readings remembered: more than the memo holds, so a text read again soon is seen again. */
    private static final int SIGHTINGS = 1 << 16;

    // Eviction bookkeeping on the calling thread: handing it to the common ForkJoinPool woke a pool
    // thread for nearly every miss (1M x 1M benchmark: a fifth less CPU).
    private final Cache<String, V> memo = Caffeine.newBuilder().maximumSize(SIZE).executor(Runnable::run).build();
    /**
     * Hashes of texts read once, by the hash's low bits. Threads race on it unguarded: an int is
     * written whole, and a sighting lost or overwritten only delays a text's memoising.
     */
    private final int[] sightings = new int[SIGHTINGS];

    private Readings() {
    }

    static <V> Readings<V> bounded() {
        return new Readings<>();
    }

    V get(String text, Function<String, V> read) {
        V reading = memo.getIfPresent(text);
        if (reading != null) {
            return reading;
        }
        int hash = text.hashCode();
        int slot = (hash ^ (hash >>> 17)) & (SIGHTINGS - 1);
        if (sightings[slot] != hash) {
            sightings[slot] = hash;
            return read.apply(text);
        }
        return memo.get(text, read);
    }
}
