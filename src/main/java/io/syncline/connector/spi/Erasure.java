package io.syncline.connector.spi;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.RecordTransformer;
import io.syncline.model.EraseSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to erase one record: {@code hard} removes it; {@code anonymise} empties {@code emptied}
 * (canonical field to the system's path) and keeps the record.
 */
@RegisterForReflection
public record Erasure(EraseSpec.Mode mode, Map<String, String> emptied) {

    public Erasure {
        emptied = Map.copyOf(emptied);
    }

    /**
     * Carries this erasure out by a type's record calls, for an API without an erasure of its
     * own: hard by {@code delete}, else by an {@code update} that empties the erased fields.
     *
     * @return what was done, for the request's proof
     */
    public String byRecordCalls(SystemType type, RecordTransformer transformer, String entity, String system, String id)
            throws Exception {
        if (mode == EraseSpec.Mode.HARD) {
            return type.delete(entity, system, id) ? "hard delete" : "already gone";
        }
        Map<String, Object> blanks = new LinkedHashMap<>();
        emptied.keySet().forEach(field -> blanks.put(field, null));
        type.update(entity, system, id, transformer.toSystem(entity, system, blanks));
        return "anonymised: " + blanks.size() + " fields";
    }
}
