package io.syncline.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.syncline.inbox.InboxEnqueuer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running capture ({@code entities.<entity>.captures.<system>}) of a database's log: while its
 * replica holds the capture's lock ({@link SupervisedCapture}), it runs Debezium's embedded
 * engine, and puts each batch of captured changes into the durable inbox as if
 * the system's webhook had sent them, with the offsets after them, in one transaction: a crash
 * loses no change and stores none twice. An engine that fails is started again after a pause that
 * grows to {@link #MAX_PAUSE}; its state and last error are what readiness shows.
 */
final class ChangeCapture extends SupervisedCapture {

    /** How often a started engine is asked whether it reads its stream yet. */
    static final Duration STREAM_CHECK = Duration.ofMillis(200);
    private static final Logger LOG = Logger.getLogger(ChangeCapture.class);

    private final CaptureDefinition definition;
    private final InboxEnqueuer inbox;
    private final CaptureOffsetRepository offsets;
    private final ObjectMapper json;
    private final JsonConverter offsetKeys = converter(true);
    private final JsonConverter offsetValues = converter(false);
    private BinlogRestartPoint restartPoint = new BinlogRestartPoint();

    private volatile boolean taskStarted;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    ChangeCapture(CaptureDefinition definition, InboxEnqueuer inbox, CaptureOffsetRepository offsets, AgroalDataSource store,
            ObjectMapper json) {
        super(definition.name(), store);
        this.definition = definition;
        this.inbox = inbox;
        this.offsets = offsets;
        this.json = json;
    }

    @Override
    public CaptureDefinition definition() {
        return definition;
    }

    /** Runs the engine while this replica holds the lock; returns when it stopped, throws when it failed. */
    @Override
    protected boolean capture(CaptureLock lock) throws Exception {
        state = State.STARTING;
        taskStarted = false;
        restartPoint = new BinlogRestartPoint();
        CompletableFuture<Throwable> completion = new CompletableFuture<>();
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(definition.settings())
                .using(new DebeziumEngine.ConnectorCallback() {

                    @Override
                    public void taskStarted() {
                        taskStarted = true;
                    }
                })
                .using((success, message, error) -> completion.complete(success ? null
                        : error != null ? error : new IllegalStateException(message)))
                .notifying(this::store)
                .build();
        Thread runner = new Thread(engine, "syncline-capture-engine-" + definition.name());
        runner.setDaemon(true);
        runner.start();
        Instant lockChecked = Instant.now();
        while (!completion.isDone()) {
            try {
                completion.get((state == State.CAPTURING ? LOCK_CHECK : STREAM_CHECK).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (state == State.STARTING && taskStarted) {
                    awaitStream();
                }
                if (Instant.now().isBefore(lockChecked.plus(LOCK_CHECK))) {
                    continue;
                }
                lockChecked = Instant.now();
                if (!running || !holds(lock)) {
                    LOG.infof("Capture %s stops: %s", definition.name(), running ? "its lock's session ended" : "it is no longer wanted");
                    halt();
                }
            }
        }
        Throwable failure = completion.get();
        runner.join(Duration.ofSeconds(30).toMillis());
        engine = null;
        if (failure instanceof Exception exception) {
            throw exception;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return true;
    }

    /** Capturing once the engine reads its stream: from then on no committed change is missed. */
    private void awaitStream() {
        if (StreamingConnection.connected(definition.name()).orElse(true)) {
            capturing();
            LOG.infof("Capture %s reads the changes of %s for %s", definition.name(), definition.system(), definition.entity());
        }
    }

    /**
     * The engine's batch: its changes into the inbox and the offsets after them, in one
     * transaction; then the batch is marked processed, so that the engine moves on.
     */
    private void store(List<RecordChangeEvent<SourceRecord>> batch, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<InboxEnqueuer.NewEvent> events = new ArrayList<>(batch.size());
        Map<String, String> reached = new LinkedHashMap<>();
        Instant committedAt = null;
        try {
            for (RecordChangeEvent<SourceRecord> event : batch) {
                SourceRecord record = event.record();
                CapturedChange change = CapturedChange.of(record, definition.keyPath(), definition.deletedFlag(),
                        definition.modifiedAtPath());
                if (change != null) {
                    events.add(new InboxEnqueuer.NewEvent(definition.routeId(), definition.applyEndpoint(), definition.entity(),
                            definition.system(), change.key(), change.eventId(), json.writeValueAsString(change.record())));
                    committedAt = committedAt == null || change.committedAt().isAfter(committedAt) ? change.committedAt() : committedAt;
                }
                Map<String, ?> restart = restartPoint.after(record);
                if (record.sourcePartition() != null && restart != null) {
                    reached.put(text(offsetKeys.fromConnectData(definition.name(), null,
                            List.of(definition.name(), record.sourcePartition()))),
                            text(offsetValues.fromConnectData(definition.name(), null, restart)));
                }
            }
            int fresh;
            try (Connection connection = store.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    fresh = inbox.enqueueAll(connection, events);
                    offsets.save(connection, definition.name(), reached);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
            inbox.arrived(fresh);
            captured.addAndGet(fresh);
            if (!events.isEmpty()) {
                stored(committedAt);
            }
            for (RecordChangeEvent<SourceRecord> event : batch) {
                committer.markProcessed(event);
            }
            committer.markBatchFinished();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // the engine stops and reports it; the supervisor starts it again from the saved offsets
            throw new IllegalStateException("Cannot store captured changes of " + definition.system() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void failed(Exception e, Duration pause) {
        state = State.FAILED;
        lastError = reason(e);
        retryAt = Instant.now().plus(pause);
        LOG.errorf("Capture %s failed, trying again in %d s: %s", definition.name(), pause.toSeconds(), lastError);
    }

    @Override
    protected void halt() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> current = engine;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                LOG.warnf("Capture %s: its engine did not close cleanly: %s", definition.name(), e.getMessage());
            }
        }
    }

    /** Offsets serialised as the engine's own offset writer does (JSON without schemas), so that either may read them. */
    private static JsonConverter converter(boolean key) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), key);
        return converter;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
