package io.syncline.inbox;

import io.syncline.exchange.ExchangeContract;
import io.syncline.sync.EventCompletion;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The durable inbox as the engine uses it: a webhook's events accepted before it is answered,
 * claimed by the workers, completed, retried later, handed back. One adapter per place an accepted
 * event waits ({@code syncline.inbox.mode}), chosen at start-up by {@link InboxProducer}:
 * {@link PostgresInbox} commits each event as a row of the {@code inbox} table before the answer;
 * {@link KafkaInbox} sends it to the inbox topic, whose consumer takes it into that table
 * ({@link KafkaInboxRows}). Once taken in, an event is a row in either mode, so claims, completion,
 * retries and hand-backs are the same ({@link InboxRows}).
 */
public interface Inbox extends EventCompletion {

    /** One event of a webhook request: its record's id, the sender's event id (null for none), the payload as received. */
    record Intake(String recordKey, String eventId, String payload) {
    }

    /**
     * What became of an accepted event: stored now, or found stored before (a duplicate of its first
     * delivery); named to the sender by its inbox id, or by its event id while it travels through
     * the topic and has none yet.
     */
    record Accepted(boolean stored, Long inboxId, String eventId) {

        /** An event committed as inbox row {@code inboxId}, or found there from an earlier delivery. */
        static Accepted row(long inboxId, boolean stored) {
            return new Accepted(stored, inboxId, null);
        }

        /** An event the inbox topic acknowledged, under event id {@code eventId}. */
        static Accepted sent(String eventId) {
            return new Accepted(true, null, eventId);
        }

        /** The event's part of the webhook's answer: its status and the id it is known by. */
        public Map<String, Object> answer() {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", stored ? "accepted" : "duplicate");
            if (inboxId != null) {
                answer.put("inboxId", inboxId);
            } else {
                answer.put("eventId", eventId);
            }
            return answer;
        }
    }

    /**
     * Accepts a webhook's event for {@code applyEndpoint}, received by route {@code routeId}, and
     * returns once it is durable. An event id the source already delivered is not stored again.
     */
    Accepted accept(String routeId, String applyEndpoint, String entity, String system, Intake event) throws SQLException;

    /**
     * Accepts the events of one webhook request, in their order: all of them or none, so that the
     * sender's 2xx always means every event is durable.
     */
    List<Accepted> acceptAll(String routeId, String applyEndpoint, String entity, String system, List<Intake> events)
            throws SQLException;

    /**
     * {@link #accept}, answered by a future that completes once the event is durable: the caller's
     * thread need not wait for it. An adapter that stores on the caller's thread (the PostgreSQL
     * inbox) returns it completed, or throws as {@link #accept} does.
     */
    default CompletionStage<Accepted> acceptLater(String routeId, String applyEndpoint, String entity, String system,
            Intake event) throws SQLException {
        return CompletableFuture.completedFuture(accept(routeId, applyEndpoint, entity, system, event));
    }

    /** {@link #acceptAll}, answered by a future as {@link #acceptLater} is. */
    default CompletionStage<List<Accepted>> acceptAllLater(String routeId, String applyEndpoint, String entity, String system,
            List<Intake> events) throws SQLException {
        return CompletableFuture.completedFuture(acceptAll(routeId, applyEndpoint, entity, system, events));
    }

    /** Up to {@code limit} due events for the workers, each under a lease ({@code syncline.inbox.lease}). */
    List<InboxEvent> claim(int limit) throws SQLException;

    /** The event was applied, nothing of it left to commit with it (a skip). */
    void complete(long id) throws SQLException;

    /** The event ended outside the happy path: {@code held} (review queue) or {@code dead} (dead letters). */
    void finish(long id, String status, String reason) throws SQLException;

    /** The event would have recreated an erased person: refused, its payload not kept. */
    void refuse(long id, String reason) throws SQLException;

    /** Back to pending, due after {@code delay}; the reason is kept for ops. */
    void retryLater(long id, Duration delay, String reason) throws SQLException;

    /** Several events back to pending, all due at the same instant after {@code delay}, to be claimed together again. */
    void retryLater(Collection<Long> ids, Duration delay, String reason) throws SQLException;

    /** Back to pending, due at {@code until}, the claim's attempt not counted (a target that takes nothing before then). */
    void waitUntil(long id, Instant until, String reason) throws SQLException;

    /**
     * Back to pending while a schema drift pauses the mapping of {@code entity} from {@code system},
     * due at {@code until} (or at once where nothing pauses it any more), the attempt not counted.
     */
    void waitWhilePaused(long id, String entity, String system, Instant until, String reason) throws SQLException;

    /**
     * Makes due now every pending event of {@code entity} from {@code system} whose reason begins
     * with {@code reasonPrefix}: those that waited for a mapping that is resumed. How many.
     */
    int wakePaused(String entity, String system, String reasonPrefix) throws SQLException;

    /** Gives claimed events back unapplied, as if never claimed: a worker comes to them while the application stops. */
    void handBack(List<InboxEvent> events) throws SQLException;

    /**
     * Puts event {@code inboxId}'s payload back into the inbox as a new event, in the caller's
     * transaction (a dead letter's replay, named {@code replay}): a notice stays a notice
     * ({@link ExchangeContract#ORIGIN_NOTICE}), any other event is replayed as a change.
     *
     * @return the new event's inbox id
     */
    long requeue(Connection connection, long inboxId, String replay) throws SQLException;
}
