package io.syncline.salesforce;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each record of a rolled-back batch's sObject Collections calls came to, kept until its
 * event is applied on its own: a record written is then recorded without a second call, a record
 * refused fails at once with Salesforce's errorCode. Only for the very write the call made (same
 * target, same row); anything else, or an outcome older than {@link #LIFETIME} (the event was
 * claimed by another replica, the application restarted), calls Salesforce again, whose writes
 * repeated change nothing more.
 */
final class CollectionOutcomes {

    static final Duration LIFETIME = Duration.ofMinutes(5);

    record Key(long inboxId, String target) {
    }

    record Outcome(String call, Object write, SaveResult result, Instant at) {
    }

    private final Map<Key, Outcome> outcomes = new ConcurrentHashMap<>();

    void put(Key key, String call, Object write, SaveResult result) {
        Instant now = Instant.now();
        outcomes.values().removeIf(outcome -> outcome.at().isBefore(now.minus(LIFETIME)));
        outcomes.put(key, new Outcome(call, write, result, now));
    }

    /** The outcome of exactly this write, taken out; null when there is none. */
    Outcome take(Key key, Object write) {
        Outcome outcome = outcomes.remove(key);
        if (outcome == null || !Objects.equals(outcome.write(), write)
                || outcome.at().isBefore(Instant.now().minus(LIFETIME))) {
            return null;
        }
        return outcome;
    }
}
