package io.syncline.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.inbox.InboxRepository;
import io.syncline.model.CaptureSpec;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.write.JdbcConnections;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's captures ({@code entities.<entity>.captures.<system>}), each running as a
 * {@link ChangeCapture}. The model's routes tell it which to run, with the endpoint that applies
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

    private final JdbcConnections connections;
    private final InboxRepository inbox;
    private final CaptureOffsetRepository offsets;
    private final AgroalDataSource store;
    private final ObjectMapper json;
    private final Map<String, ChangeCapture> running = new LinkedHashMap<>();
    private final Map<String, CaptureStatus> undefined = new LinkedHashMap<>();

    public ChangeCaptures(JdbcConnections connections, InboxRepository inbox, CaptureOffsetRepository offsets, AgroalDataSource store,
                          ObjectMapper json) {
        this.connections = connections;
        this.inbox = inbox;
        this.offsets = offsets;
        this.store = store;
        this.json = json;
    }

    /** The inbox route a capture's events are counted under. */
    public static String routeId(String entity, String system) {
        return system + "-" + entity + "-capture";
    }

    /** Runs exactly the captures wanted, from the model in force. */
    public synchronized void keepOnly(SyncModel model, List<Wanted> wanted) {
        Map<String, CaptureDefinition> definitions = new LinkedHashMap<>();
        undefined.clear();
        for (Wanted capture : wanted) {
            String name = CaptureSpec.name(capture.entity(), capture.system());
            try {
                definitions.put(name, define(model, capture));
            } catch (RuntimeException e) {
                LOG.errorf("Capture %s cannot start: %s", name, e.getMessage());
                undefined.put(name, new CaptureStatus(name, ChangeCapture.State.FAILED, 0, null, e.getMessage(), null));
            }
        }
        new ArrayList<>(running.keySet()).forEach(name -> {
            if (!running.get(name).definition().equals(definitions.get(name))) {
                running.remove(name).stop();
            }
        });
        definitions.forEach((name, definition) -> running.computeIfAbsent(name, missing -> {
            ChangeCapture capture = new ChangeCapture(definition, inbox, offsets, store, json);
            capture.start();
            return capture;
        }));
    }

    /** Each capture's state, by name. */
    public synchronized Collection<CaptureStatus> statuses() {
        List<CaptureStatus> statuses = new ArrayList<>(undefined.values());
        running.values().forEach(capture -> statuses.add(capture.status()));
        return statuses;
    }

    /** Stops every capture (each engine flushes its offsets) while the state store is still open. */
    synchronized void stopAll(@Observes ShutdownEvent event) {
        running.values().forEach(ChangeCapture::stop);
        running.clear();
    }

    private CaptureDefinition define(SyncModel model, Wanted wanted) {
        EntityDefinition entity = model.entities().get(wanted.entity());
        SystemMapping mapping = entity.mappings().get(wanted.system());
        CaptureSpec spec = entity.captures().get(wanted.system());
        spec = spec == null ? new CaptureSpec(null, null, null, null, null) : spec;
        String name = CaptureSpec.name(wanted.entity(), wanted.system());
        String deletedFlag = mapping.delete() != null && mapping.delete().flag() != null ? mapping.delete().flag()
                : CaptureSpec.DELETED_FLAG;
        String modifiedAtPath = entity.modifiedAt() == null ? null : mapping.fields().stream()
                .filter(field -> entity.modifiedAt().equals(field.field()) && field.direction().reads())
                .map(FieldMapping::path).findFirst().orElse(null);
        String table = spec.table() != null ? spec.table() : mapping.table();
        return new CaptureDefinition(name, wanted.entity(), wanted.system(), routeId(wanted.entity(), wanted.system()),
                wanted.applyEndpoint(), mapping.key(), deletedFlag, modifiedAtPath,
                CaptureSettings.of(name, wanted.entity(), wanted.system(), table, spec, source(wanted.system())));
    }

    /** The system's database, as its connection pool (a Quarkus datasource or Syncline's own) reaches it. */
    private CaptureSettings.Source source(String system) {
        AgroalConnectionFactoryConfiguration factory = connections.dataSource(system).getConfiguration()
                .connectionPoolConfiguration().connectionFactoryConfiguration();
        String password = factory.credentials().stream().filter(SimplePassword.class::isInstance)
                .map(credential -> ((SimplePassword) credential).getWord()).findFirst().orElse(null);
        return new CaptureSettings.Source(factory.jdbcUrl(), factory.principal() == null ? null : factory.principal().getName(), password);
    }
}
