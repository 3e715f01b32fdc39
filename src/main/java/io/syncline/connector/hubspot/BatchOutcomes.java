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

    /** @param error HubSpot's message for a refused record; null when it was written */
    record Outcome(String call, Object write, String error, int status, Instant at) {
    }

    private final Map<Key, Outcome> outcomes = new ConcurrentHashMap<>();

    void put(Key key, String call, Object write, String error, int status) {
        Instant now = Instant.now();
        outcomes.values().removeIf(outcome -> outcome.at().isBefore(now.minus(LIFETIME)));
        outcomes.put(key, new Outcome(call, write, error, status, now));
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
