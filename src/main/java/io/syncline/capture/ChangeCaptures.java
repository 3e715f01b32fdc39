package io.syncline.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.ChangeStream;
import io.syncline.connector.spi.SqlDatabase;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.metrics.SourceActivity;
import io.syncline.model.CaptureSpec;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model's captures ({@code entities.<entity>.captures.<system>}), each running as a
 * {@link ChangeCapture} (a database's log, read by Debezium) or, for a system whose type publishes
 * a {@link ChangeStream}, a {@link StreamCapture}. The model's routes tell it which to run, with the endpoint that applies
 * each one's changes; a reloaded model keeps a capture whose definition did not change running,
 * restarts a changed one and stops one it no longer declares. A capture that cannot be defined (a
 * database it cannot read) is listed as failed, with the reason.
 */
@ApplicationScoped
public class ChangeCaptures {

    /** A capture the model asks for: its entity, its system, and where its changes are applied. */
    public record Wanted(String entity, String system, String applyEndpoint) {
    }

    private static final Logger LOG = Logger.getLogger(ChangeCaptures.class);

    @Inject
    InboxEnqueuer inbox;
    @Inject
    CaptureOffsetRepository offsets;
    @Inject
    AgroalDataSource store;
    @Inject
    ObjectMapper json;
    @Inject
    SystemTypes types;
    @Inject
    CamelContext camel;
    @Inject
    ChangeStreamPositions positions;
    @Inject
    CaptureResyncs resyncs;
    @Inject
    SourceActivity activity;
    @Inject
    MeterRegistry meters;
    /** By name; read without this object's lock by the lag gauges. */
    private final Map<String, RunningCapture> running = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The captures with a lag gauge: one each, reading whichever capture of that name runs now. */
    private final Set<String> measured = new HashSet<>();
    /** The model in force: its reconciliation jobs are what a lost change stream requests. */
    private volatile SyncModel model;
    private final Map<String, CaptureStatus> undefined = new LinkedHashMap<>();

    /** The inbox route a capture's events are counted under. */
    public static String routeId(String entity, String system) {
        return system + "-" + entity + "-capture";
    }

    /** Runs exactly the captures wanted, from the model in force. */
    public synchronized void keepOnly(SyncModel model, List<Wanted> wanted) {
        this.model = model;
        Map<String, Object> definitions = new LinkedHashMap<>();
        Map<String, ChangeStream> streams = new LinkedHashMap<>();
        Map<String, Wanted> byName = new LinkedHashMap<>();
        undefined.clear();
        for (Wanted capture : wanted) {
            String name = CaptureSpec.name(capture.entity(), capture.system());
            byName.put(name, capture);
            try {
                Optional<ChangeStream> stream = types.typeOf(capture.system(), model.systems().get(capture.system())).changeStream();
                if (stream.isPresent()) {
                    streams.put(name, stream.get());
                    definitions.put(name, defineStream(model, capture, stream.get()));
                } else {
                    definitions.put(name, define(model, capture));
                }
            } catch (RuntimeException e) {
                LOG.errorf("Capture %s cannot start: %s", name, e.getMessage());
                undefined.put(name, new CaptureStatus(name, SupervisedCapture.State.FAILED, 0, null, e.getMessage(), null));
            }
        }
        new ArrayList<>(running.keySet()).forEach(name -> {
            if (!running.get(name).definition().equals(definitions.get(name))) {
                running.remove(name).stop();
            }
        });
        definitions.forEach((name, definition) -> running.computeIfAbsent(name, missing -> {
            RunningCapture capture = definition instanceof StreamCapture.Definition streamed
                    ? new StreamCapture(streamed, streams.get(name), camel, inbox, positions, store, json, new StreamCapture.Resync() {

                        @Override
                        public void request(Connection connection, String entity, String system, String reason) throws SQLException {
                            resync(connection, entity, system, reason);
                        }

                        @Override
                        public void requested() {
                            resyncs.wake();
                        }
                    })
                    : new ChangeCapture((CaptureDefinition) definition, inbox, offsets, store, json);
            Wanted source = byName.get(name);
            capture.whileCapturing(() -> activity.seen(source.entity(), source.system(), SourceActivity.Kind.CAPTURE));
            capture.start();
            measure(name, source);
            return capture;
        }));
    }

    /**
     * {@code syncline_capture_lag_seconds{entity, system}}: how far behind its source the capture
     * read its last change, on the replica that captures (NaN on the others, and after it stops).
     */
    private void measure(String name, Wanted source) {
        if (measured.add(name)) {
            Gauge.builder("syncline.capture.lag", this, captures -> captures.lagSeconds(name))
                    .tags("entity", source.entity(), "system", source.system())
                    .baseUnit("seconds")
                    .description("How far behind its source a change capture read its last change")
                    .register(meters);
        }
    }

    private double lagSeconds(String name) {
        RunningCapture capture = running.get(name);
        return capture == null ? Double.NaN : capture.lagSeconds();
    }

    /** Each capture's state, by name. */
    public synchronized Collection<CaptureStatus> statuses() {
        List<CaptureStatus> statuses = new ArrayList<>(undefined.values());
        running.values().forEach(capture -> statuses.add(capture.status()));
        return statuses;
    }

    /** Stops every capture (each engine flushes its offsets) while the state store is still open. */
    synchronized void stopAll(@Observes ShutdownEvent event) {
        running.values().forEach(RunningCapture::stop);
        running.clear();
    }

    /**
     * Reconciles the entity with a system whose change stream lost changes: each reconciliation job
     * of the entity that reads the system is recorded as requested by the capture, with the reason,
     * on the connection and in the transaction that store the message saying so ({@link CaptureResyncs}
     * runs them). Without such a job the lost changes wait for one, and the log says so.
     */
    void resync(Connection connection, String entity, String system, String reason) throws SQLException {
        List<String> jobs = new ArrayList<>();
        model.reconciliations().forEach((job, definition) -> {
            if (definition.entity().equals(entity) && (system.equals(definition.sideA()) || system.equals(definition.sideB()))) {
                jobs.add(job);
            }
        });
        if (jobs.isEmpty()) {
            LOG.errorf("%s; no reconciliation job of %s reads %s to find what was lost: add one", reason, entity, system);
            return;
        }
        resyncs.request(connection, jobs, entity, system, reason);
        LOG.warnf("%s: reconciliation %s requested", reason, String.join(", ", jobs));
    }

    private StreamCapture.Definition defineStream(SyncModel model, Wanted wanted, ChangeStream stream) {
        EntityDefinition entity = model.entities().get(wanted.entity());
        SystemMapping mapping = entity.mappings().get(wanted.system());
        return new StreamCapture.Definition(CaptureSpec.name(wanted.entity(), wanted.system()), wanted.entity(), wanted.system(),
                routeId(wanted.entity(), wanted.system()), wanted.applyEndpoint(), mapping.key(), deletedFlag(mapping),
                modifiedAtPath(entity, mapping), stream.stream(wanted.entity(), wanted.system()));
    }

    private static String deletedFlag(SystemMapping mapping) {
        return mapping.delete() != null && mapping.delete().flag() != null ? mapping.delete().flag() : CaptureSpec.DELETED_FLAG;
    }

    /** The path of the entity's modification time in the system; null when it holds none. */
    private static String modifiedAtPath(EntityDefinition entity, SystemMapping mapping) {
        return entity.modifiedAt() == null ? null : mapping.fields().stream()
                .filter(field -> entity.modifiedAt().equals(field.field()) && field.direction().reads())
                .map(FieldMapping::path).findFirst().orElse(null);
    }

    private CaptureDefinition define(SyncModel model, Wanted wanted) {
        EntityDefinition entity = model.entities().get(wanted.entity());
        SystemMapping mapping = entity.mappings().get(wanted.system());
        CaptureSpec spec = entity.captures().get(wanted.system());
        spec = spec == null ? CaptureSpec.DEFAULTS : spec;
        String name = CaptureSpec.name(wanted.entity(), wanted.system());
        String deletedFlag = deletedFlag(mapping);
        String modifiedAtPath = modifiedAtPath(entity, mapping);
        SqlDatabase database = source(wanted.system());
        String table = spec.table() != null ? spec.table() : database.table(mapping);
        return new CaptureDefinition(name, wanted.entity(), wanted.system(), routeId(wanted.entity(), wanted.system()),
                wanted.applyEndpoint(), mapping.key(), deletedFlag, modifiedAtPath,
                CaptureSettings.of(name, wanted.entity(), wanted.system(), table, spec, database.login()));
    }

    /** The system's database, as its connection pool (a Quarkus datasource or Syncline's own) reaches it. */
    private SqlDatabase source(String system) {
        return types.database(system).orElseThrow(() -> new IllegalArgumentException("System '" + system
                + "' is not a SQL database whose log a capture reads"));
    }
}
