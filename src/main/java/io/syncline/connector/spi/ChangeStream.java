package io.syncline.connector.spi;

import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.List;

/**
 * {@link io.syncline.model.Ability#CAPTURE_CHANGES} of a system that publishes its changes as a
 * stream of messages a Camel consumer reads (a Salesforce org's Change Data Capture channel),
 * each at a position the stream can be resumed after. The engine's capture consumes the
 * {@link #endpoint}, stores each message's {@link #read notices} in the inbox with the message's
 * position, in one transaction, and resumes after the stored position on restart.
 */
public interface ChangeStream {

    /** What one message of the stream says about a record. */
    enum Kind {
        /** Created, updated or undeleted: the record is fetched before it is mapped. */
        CHANGED,
        /** Deleted: applied as the mapping's deletion. */
        DELETED
    }

    /** A record the message names, and what happened to it. */
    record Notice(String recordId, Kind kind) {
    }

    /**
     * One message: its position, when the system committed it, the notices of the captured
     * entity's records (none for another entity's message on a shared channel), and whether the
     * system says that changes were lost ({@code gapOverflow}: too many to report one by one), so
     * that the entity must be reconciled with the system.
     */
    record Message(String position, Instant committedAt, List<Notice> notices, boolean overflow) {
    }

    /** The stream's name within its system (a channel); its position is kept under it. */
    String stream(String entity, String system);

    /**
     * The Camel endpoint whose consumer reads the stream, resuming right after {@code position},
     * or at new changes only when it is null. Called before each start of the consumer.
     */
    String endpoint(String entity, String system, String position) throws Exception;

    /**
     * Whether the consumer of {@code system}'s stream still reads it: false once its connection
     * has ended for good (the consumer gave up reconnecting), so that the capture starts it anew.
     */
    default boolean reading(String system) {
        return true;
    }

    /** Drops what the consumers of {@code system}'s stream keep between starts (a connection, a session): the next start begins anew. */
    default void reset(String system) {
    }

    /** What a message the endpoint's consumer received says, for {@code entity}. */
    Message read(String entity, String system, Exchange exchange) throws Exception;
}
