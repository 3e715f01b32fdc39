package io.syncline.privacy.erase;

import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.model.EntityDefinition;
import io.syncline.model.EraseSpec;
import io.syncline.model.JdbcSystem;
import io.syncline.model.RestSystem;
import io.syncline.model.SystemDefinition;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.write.HttpTargetWriter;
import io.syncline.write.JdbcRecords;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erases one record in one system through that system's own write path: a JDBC system's
 * connections and dialect, a REST system's client with its auth, rate limit and failure
 * classification ({@code TargetUnavailableException} is retried, {@code TargetRejectedException}
 * is not). A record the system no longer has counts as erased.
 */
@ApplicationScoped
public class SystemEraser {

    private final SyncModelRegistry registry;
    private final JdbcRecords jdbc;
    private final HttpTargetWriter http;

    public SystemEraser(SyncModelRegistry registry, JdbcRecords jdbc, HttpTargetWriter http) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.http = http;
    }

    /** The erasure in force for the entity's mapping in the system. */
    public EraseSpec spec(String entity, String system) {
        CompiledModel model = registry.current();
        return EraseSpec.of(model.model().entities().get(entity).mappings().get(system), model.model().systems().get(system));
    }

    /** Erases the record; returns what was done, for the proof ("hard delete", "anonymised: 7 fields", "already gone"). */
    public String erase(String entity, String system, String id, EraseSpec.Mode mode) throws Exception {
        CompiledModel model = registry.current();
        SystemDefinition definition = model.model().systems().get(system);
        if (mode == EraseSpec.Mode.MANUAL) {
            throw new IllegalStateException(system + " is erased by its own procedure, not by Syncline");
        }
        if (definition instanceof JdbcSystem) {
            if (mode == EraseSpec.Mode.HARD) {
                return jdbc.delete(entity, system, id) ? "hard delete" : "already gone";
            }
            List<String> columns = new ArrayList<>(emptied(model, entity, system).values());
            return jdbc.anonymise(entity, system, id, columns) ? "anonymised: " + columns.size() + " fields" : "already gone";
        }
        if (definition instanceof RestSystem) {
            if (mode == EraseSpec.Mode.HARD) {
                return http.delete(entity, system, id).status() == 404 ? "already gone" : "hard delete";
            }
            Map<String, Object> blanks = new LinkedHashMap<>();
            emptied(model, entity, system).keySet().forEach(field -> blanks.put(field, null));
            http.send(entity, system, model.transformer().toSystem(entity, system, blanks), id);
            return "anonymised: " + blanks.size() + " fields";
        }
        throw new IllegalStateException(system + " is a " + definition.getClass().getSimpleName() + ", which Syncline does not erase");
    }

    /** Canonical field to system path of what anonymising empties: the listed fields, else all but the key and modifiedAt. */
    private static Map<String, String> emptied(CompiledModel model, String entity, String system) {
        EntityDefinition definition = model.model().entities().get(entity);
        EraseSpec spec = EraseSpec.of(definition.mappings().get(system), model.model().systems().get(system));
        FieldContract contract = model.transformer().contract(entity, system);
        Map<String, String> emptied = new LinkedHashMap<>();
        for (CompiledField field : contract.fields()) {
            if (field.path() == null || field.path().equals(contract.keyPath()) || !field.direction().writes()) {
                continue;
            }
            boolean listed = spec.fields().isEmpty() ? !field.field().equals(definition.modifiedAt()) : spec.fields().contains(field.field());
            if (listed) {
                emptied.put(field.field(), field.path());
            }
        }
        return emptied;
    }
}
