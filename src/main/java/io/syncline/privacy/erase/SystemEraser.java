package io.syncline.privacy.erase;

import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.Erasure;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.model.EntityDefinition;
import io.syncline.model.EraseSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Erases one record in one system through that system's type ({@code SystemType#erase}): its own
 * connections and write path, with its failure classes ({@code TargetUnavailableException} is
 * retried, {@code TargetRejectedException} is not). A record the system no longer has counts as
 * erased.
 */
@ApplicationScoped
public class SystemEraser {

    @Inject
    SyncModelRegistry registry;
    @Inject
    SystemTypes types;

    /** The erasure in force for the entity's mapping in the system: a type that cannot erase is erased by hand. */
    public EraseSpec spec(String entity, String system) {
        CompiledModel model = registry.current();
        return EraseSpec.of(model.model().entities().get(entity).mappings().get(system), types.of(system).abilities());
    }

    /** Erases the record; returns what was done, for the proof ("hard delete", "anonymised: 7 fields", "already gone"). */
    public String erase(String entity, String system, String id, EraseSpec.Mode mode) throws Exception {
        if (mode == EraseSpec.Mode.MANUAL) {
            throw new IllegalStateException(system + " is erased by its own procedure, not by Syncline");
        }
        return types.of(system).erase(entity, system, id, new Erasure(mode, emptied(entity, system)));
    }

    /** Canonical field to system path of what anonymising empties: the listed fields, else all but the key and modifiedAt. */
    private Map<String, String> emptied(String entity, String system) {
        CompiledModel model = registry.current();
        EntityDefinition definition = model.model().entities().get(entity);
        EraseSpec spec = spec(entity, system);
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
