package io.syncline.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code syncline_schema_drift{entity, system, field}}: 1 while a field that a mapping reads from a
 * source has stopped arriving, 0 otherwise. A field drifts when this replica has seen it in an
 * earlier payload of that source and entity and it is absent (its key not sent at all; a null
 * value counts as sent) from each of the last {@code syncline.alerts.schema-drift-window} payloads
 * since; the next payload that carries it clears it. Counted on the apply path, as the
 * transformer stage reads each event: one lookup per mapped field and two numbers per field in
 * memory. Deletions, which carry no fields, and resolutions of held records, which replay an
 * earlier payload, do not count. A field never seen since start never drifts: an optional field a
 * source has not sent yet is no schema change, and after a restart a field must arrive once again
 * before its absence counts.
 */
@ApplicationScoped
public class SchemaDrift {

    private final MeterRegistry registry;
    private final int window;
    private final Map<String, Presence> fields = new ConcurrentHashMap<>();

    public SchemaDrift(MeterRegistry registry, SynclineConfig config) {
        this.registry = registry;
        this.window = config.alerts().schemaDriftWindow();
    }

    /** One payload of {@code contract}'s source system, before it is transformed. */
    public void observe(FieldContract contract, Map<String, Object> source) {
        for (CompiledField field : contract.fields()) {
            if (field.direction().reads() && !field.computed() && field.steps() != null) {
                presence(contract, field).observe(FieldPaths.has(source, field.steps()), window);
            }
        }
    }

    private Presence presence(FieldContract contract, CompiledField field) {
        String id = contract.entity() + ' ' + contract.system() + ' ' + field.field();
        return fields.computeIfAbsent(id, key -> {
            Presence presence = new Presence();
            Gauge.builder("syncline.schema.drift", presence, p -> p.drifting(window) ? 1 : 0)
                    .description("1 while a mapped field seen before is absent from the source's last payloads")
                    .tag("entity", contract.entity()).tag("system", contract.system()).tag("field", field.field())
                    .register(registry);
            return presence;
        });
    }

    /** Whether a field was ever seen, and how many payloads in a row have lacked it since (at most the window). */
    private static final class Presence {

        private volatile boolean seen;
        private final AtomicInteger absentInARow = new AtomicInteger();

        void observe(boolean present, int window) {
            if (present) {
                seen = true;
                absentInARow.set(0);
            } else {
                absentInARow.updateAndGet(n -> n < window ? n + 1 : n);
            }
        }

        boolean drifting(int window) {
            return seen && absentInARow.get() >= window;
        }
    }
}
