package io.syncline.connector.spi;

import io.syncline.compiled.CompiledModel;
import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.model.Ability;
import io.syncline.model.SystemDefinition;

import java.util.Map;
import java.util.Optional;

/**
 * Reading a record back from its system, in canonical form: what the apply stages compare a
 * write with, and record status shows. Shared by the engine's registry and the stages built on
 * the record calls.
 */
public final class ReadBack {

    private ReadBack() {
    }

    /** Whether {@code type} reads the records of {@code definition} back. */
    public static boolean readsBack(SystemType type, SystemDefinition definition) {
        return type.abilities().contains(Ability.READ_BACK) && definition != null
                && type.rules().readsBack(definition);
    }

    /**
     * A record fetched from a system, read through its field contract; a record the contract
     * cannot read (a required field missing, a value its transforms refuse) has no values to
     * compare, though it exists.
     */
    public static Optional<Map<String, Object>> canonical(CompiledModel model, SystemType type, String entity, String system, String id)
            throws Exception {
        Optional<Map<String, Object>> raw = type.fetch(entity, system, id);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(model.transformer().toCanonicalUnhashed(entity, system, raw.get()).fields());
        } catch (RecordRejectedException | RecordHeldException unreadable) {
            return Optional.of(Map.of());
        }
    }
}
