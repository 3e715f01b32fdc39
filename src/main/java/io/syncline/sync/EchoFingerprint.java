package io.syncline.sync;

import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.VersionHasher;

import java.util.HashMap;
import java.util.Map;

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
        String modifiedAt = transformer.entity(entity).modifiedAt();
        Map<String, Object> echoed = new HashMap<>();
        for (CompiledField field : transformer.contract(entity, system).fields()) {
            if (field.direction().reads() && field.direction().writes() && !field.computed()
                    && !field.field().equals(modifiedAt)) {
                echoed.put(field.field(), CanonicalValues.comparable(values.get(field.field())));
            }
        }
        return VersionHasher.hash(echoed);
    }
}
