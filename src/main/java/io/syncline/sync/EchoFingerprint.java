package io.syncline.sync;

import io.syncline.mapping.CanonicalValues;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.VersionHasher;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fingerprint of the values a system holds on the fields Syncline both writes to it and
 * reads back from it (its modification time left out: a system stamps its own). Computed over
 * what was written after a write, and over what came in on an event from that system: equal
 * fingerprints mean the event is Syncline's own write coming back, an echo.
 */
public final class EchoFingerprint {

    private EchoFingerprint() {
    }

    public static String of(RecordTransformer transformer, String entity, String system, Map<String, Object> values) {
        Map<String, Object> echoed = new HashMap<>();
        for (String field : fields(transformer, entity, system)) {
            echoed.put(field, CanonicalValues.comparable(values.get(field)));
        }
        // an event that says how much a quantity changed (an order) is news, never an echo of a write
        transformer.entity(entity).fields().forEach((name, declared) -> {
            if (declared != null && declared.isChange() && values.get(name) != null) {
                echoed.put(name, CanonicalValues.comparable(values.get(name)));
            }
        });
        return VersionHasher.hash(echoed);
    }

    /** The fields the fingerprint covers for {@code system}. */
    public static Set<String> fields(RecordTransformer transformer, String entity, String system) {
        String modifiedAt = transformer.entity(entity).modifiedAt();
        Set<String> fields = new LinkedHashSet<>();
        for (CompiledField field : transformer.contract(entity, system).fields()) {
            if (field.direction().reads() && field.direction().writes() && !field.computed()
                    && !field.field().equals(modifiedAt)) {
                fields.add(field.field());
            }
        }
        return fields;
    }
}
