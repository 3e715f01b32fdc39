package io.syncline.connector.hubspot;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each record of a rolled-back batch's calls came to, kept until its event is applied on its
 * own: a record written is then recorded without a second call, a record refused fails at once
 * with HubSpot's message. Only for the very write the call made (same target, same row); anything
 * else, or an outcome older than {@link #LIFETIME} (another replica claimed the event, the
 * application restarted), is sent again, and HubSpot's update repeated changes nothing more.
 */
final class BatchOutcomes {

    static final Duration LIFETIME = Duration.ofMinutes(5);

    record Key(long inboxId, String target) {
    }

    /**
     * @param id    the record written (a created one's new id); null when it was refused
     * @param error HubSpot's message for a refused record; null when it was written
     */
    record Outcome(String call, Object write, String id, boolean created, String error, int status, Instant at) {

        Outcome(String call, Object write, String id, boolean created, String error, int status) {
            this(call, write, id, created, error, status, Instant.now());
        }
    }

    private final Map<Key, Outcome> outcomes = new ConcurrentHashMap<>();

    void put(Key key, Outcome outcome) {
        outcomes.values().removeIf(kept -> kept.at().isBefore(outcome.at().minus(LIFETIME)));
        outcomes.put(key, outcome);
    }

    /** The outcome of exactly this write, taken out; null when there is none. */
    Outcome take(Key key, Object write) {
        Outcome outcome = outcomes.remove(key);
        if (outcome == null || !Objects.equals(outcome.write(), write) || outcome.at().isBefore(Instant.now().minus(LIFETIME))) {
            return null;
        }
        return outcome;
    }
}
