package io.syncline.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.connector.spi.ChangeStream;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.store.Transactions;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One capture of a system's stream of change messages ({@link ChangeStream}: a Salesforce org's
 * Change Data Capture channel): a Camel route from the stream's consumer, run by the replica that
 * holds the capture's lock ({@link CaptureLock}). Each message's notices go into the inbox with the
 * message's position, in one transaction ({@link #store}); an inbox event's id is
 * {@code cdc:<stream>:<position>:<record id>}, so a message read again is refused as a duplicate;
 * one delivered again at or before the position this route stored is left alone, its lost-changes
 * reconciliation included.
 * The route starts after the stored position: a restart loses no message and stores none twice.
 *
 * <p>A message that cannot be stored stops the capture: every later message is refused until the
 * route has been started again after the stored position, so none is stored past a lost one. A
 * system out of reach (its login or subscription fails) leaves the capture waiting, and trying
 * again after a pause that grows to {@link #MAX_PAUSE}; a message saying changes were
 * lost (an overflow), or a resumption the stream could not make (its position past the stream's
 * retention, so that it read from its oldest message), records with the message a reconciliation
 * of the entity, which {@link CaptureResyncs} runs.
 */
final class StreamCapture extends SupervisedCapture {

    /**
     * What one stream capture is made of; equal when a running capture needs no restart.
     *
     * @param stream the stream's name in its system (the channel), under which its position is kept
     */
    record Definition(String name, String entity, String system, String routeId, String applyEndpoint, String keyPath,
            String deletedFlag, String modifiedAtPath, String stream) {
    }

    /** Reconciles an entity with a system whose stream lost changes. */
    interface Resync {

        /** Records the reconciliations to run, on the connection and in the transaction that store the message saying so. */
        void request(Connection connection, String entity, String system, String reason) throws SQLException;

        /** After the transaction that recorded them committed. */
        void requested();
    }

    /** How often the supervisor looks whether the route broke or the lock is still held. */
    static final Duration CHECK = Duration.ofMillis(200);
    private static final Logger LOG = Logger.getLogger(StreamCapture.class);

    private final Definition definition;
    private final ChangeStream stream;
    private final CamelContext camel;
    private final InboxEnqueuer inbox;
    private final ChangeStreamPositions positions;
    private final ObjectMapper json;
    private final Resync resync;

    /** Set when a message could not be stored: later messages are refused until the route starts again. */
    private volatile boolean broken;
    private volatile String position;
    /** The position the route started after; cleared by its first message. */
    private volatile String resumedAfter;

    StreamCapture(Definition definition, ChangeStream stream, CamelContext camel, InboxEnqueuer inbox, ChangeStreamPositions positions,
            AgroalDataSource store, ObjectMapper json, Resync resync) {
        super(definition.name(), store);
        this.definition = definition;
        this.stream = stream;
        this.camel = camel;
        this.inbox = inbox;
        this.positions = positions;
        this.json = json;
        this.resync = resync;
    }

    @Override
    public Definition definition() {
        return definition;
    }

    @Override
    protected String position() {
        return position;
    }

    /**
     * Runs the route after the stored position while this replica holds the lock and the route
     * stores what it reads; false when it stopped because a message could not be stored or the
     * stream's connection ended.
     */
    @Override
    protected boolean capture(CaptureLock lock) throws Exception {
        state = State.STARTING;
        broken = false;
        position = positions.find(definition.system(), definition.stream()).orElse(null);
        resumedAfter = position;
        String endpoint = stream.endpoint(definition.entity(), definition.system(), position);
        camel.addRoutes(new RouteBuilder() {

            @Override
            public void configure() {
                from(endpoint).routeId(definition.routeId()).process(StreamCapture.this::store);
            }
        });
        camel.getRouteController().startRoute(definition.routeId());
        if (!broken) {
            capturing();
            LOG.infof("Capture %s reads %s of %s after position %s", definition.name(), definition.stream(), definition.system(),
                    position == null ? "(new changes only)" : position);
        }
        Instant lockChecked = Instant.now();
        while (running && !broken) {
            Thread.sleep(CHECK.toMillis());
            if (!stream.reading(definition.system())) {
                broken = true;
                failed(new IllegalStateException("its connection to " + definition.system() + " ended"), FIRST_PAUSE);
                return false;
            }
            if (Instant.now().isAfter(lockChecked.plus(LOCK_CHECK))) {
                lockChecked = Instant.now();
                if (!holds(lock)) {
                    LOG.infof("Capture %s stops: its lock's session ended", definition.name());
                    return true;
                }
            }
        }
        return !broken;
    }

    /**
     * The route's step: the message's notices into the inbox, as events of the captured source,
     * the message's position and, where the message says changes were lost, the reconciliations
     * that must find them, in one transaction: none of it is lost if the process dies after.
     */
    void store(Exchange exchange) throws Exception {
        if (broken) {
            throw new IllegalStateException("Capture " + definition.name() + " stores nothing until it starts again after position "
                    + position);
        }
        try {
            ChangeStream.Message message = stream.read(definition.entity(), definition.system(), exchange);
            if (resumedAfter == null && position != null && Long.parseLong(message.position()) <= Long.parseLong(position)) {
                // Delivered again (the stream promises each message at least once): its events and
                // its reconciliation, if it asked for one, are already recorded.
                return;
            }
            List<InboxEnqueuer.NewEvent> events = new ArrayList<>(message.notices().size());
            boolean deletions = false;
            for (ChangeStream.Notice notice : message.notices()) {
                deletions = notice.kind() == ChangeStream.Kind.DELETED;
                events.add(new InboxEnqueuer.NewEvent(definition.routeId(), definition.applyEndpoint(), definition.entity(),
                        definition.system(), notice.recordId(), "cdc:" + definition.stream() + ":" + message.position() + ":"
                                + notice.recordId(),
                        json.writeValueAsString(payload(notice, message.committedAt()))));
            }
            String origin = deletions ? ExchangeContract.ORIGIN_WEBHOOK : ExchangeContract.ORIGIN_NOTICE;
            String lost = lost(message, resumedAfter);
            int fresh = Transactions.inTransaction(store, connection -> {
                int stored = inbox.enqueueAll(connection, events, origin);
                positions.save(connection, definition.system(), definition.stream(), message.position(), message.committedAt());
                if (lost != null) {
                    resync.request(connection, definition.entity(), definition.system(), lost);
                }
                return stored;
            });
            inbox.arrived(fresh);
            captured.addAndGet(fresh);
            if (fresh > 0) {
                stored(message.committedAt());
            }
            resumedAfter = null;
            position = message.position();
            if (lost != null) {
                resync.requested();
            }
        } catch (Exception e) {
            broken = true;
            failed(e, FIRST_PAUSE);
            throw e;
        }
    }

    /**
     * Why the message asks for a reconciliation: it says changes were lost (an overflow), or it is
     * the first after a resumption the stream could not make; null when it does not.
     */
    private String lost(ChangeStream.Message message, String resumedAfter) {
        if (message.overflow()) {
            return "capture " + definition.name() + ": " + definition.stream() + " lost changes at position " + message.position()
                    + " (overflow)";
        }
        if (resumedAfter != null && Long.parseLong(message.position()) <= Long.parseLong(resumedAfter)) {
            return "capture " + definition.name() + ": " + definition.stream() + " could not resume after position " + resumedAfter
                    + " (past its retention)";
        }
        return null;
    }

    /** A notice as the source's event: the record's key (a deletion also its flag and when it was deleted). */
    private Map<String, Object> payload(ChangeStream.Notice notice, Instant committedAt) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put(definition.keyPath(), notice.recordId());
        if (notice.kind() == ChangeStream.Kind.DELETED) {
            record.put(definition.deletedFlag(), true);
            if (definition.modifiedAtPath() != null && committedAt != null) {
                record.put(definition.modifiedAtPath(), committedAt.toString());
            }
        }
        return record;
    }

    /** A system out of reach: the capture waits for it, leaving readiness up. */
    @Override
    protected void failed(Exception e, Duration pause) {
        state = State.WAITING;
        lastError = reason(e);
        retryAt = Instant.now().plus(pause);
        LOG.warnf("Capture %s waits, trying again in %d s: %s", definition.name(), pause.toSeconds(), lastError);
    }

    /**
     * After the route stopped, for whatever reason, its next start connects anew rather than
     * through what the stopped one left (a connection given up, a subscription half undone).
     */
    private void reset() {
        try {
            stream.reset(definition.system());
        } catch (RuntimeException e) {
            LOG.warnf("Capture %s: %s", definition.name(), e.getMessage());
        }
    }

    @Override
    protected void release() {
        if (removeRoute()) {
            reset();
        }
    }

    @Override
    protected void halt() {
        removeRoute();
    }

    /** Stops and removes the route; whether there was one. */
    private boolean removeRoute() {
        if (camel.getRoute(definition.routeId()) == null) {
            return false;
        }
        try {
            camel.getRouteController().stopRoute(definition.routeId());
            camel.removeRoute(definition.routeId());
        } catch (Exception e) {
            LOG.warnf("Capture %s: its route did not stop cleanly: %s", definition.name(), e.getMessage());
        }
        return true;
    }
}
