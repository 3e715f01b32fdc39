package io.syncline.conflict;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.model.EntityDefinition;
import io.syncline.state.RecordState;
import io.syncline.sync.CanonicalValues;
import io.syncline.sync.SyncModelRegistry;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conflict processor: decides, field by field, what the target ends up with. A field only
 * the source changed since the last sync takes the source's value; a field only the target
 * changed keeps the target's (an independent edit is never overwritten); a field both changed
 * to different values is a conflict, decided by the field's {@link ConflictStrategy}.
 * The first sync of a record, or a record the target does not have, takes the source's values.
 *
 * <p>In an apply route: {@code bean: {ref: conflicts, method: "resolve(${exchange})"}}, after the
 * target stage has found the target's row.
 */
@ApplicationScoped
@Named("conflicts")
@RegisterForReflection
public class ConflictProcessor {

    private final SyncModelRegistry registry;
    private final ConflictStrategies strategies;

    public ConflictProcessor(SyncModelRegistry registry, ConflictStrategies strategies) {
        this.registry = registry;
        this.strategies = strategies;
    }

    public void resolve(Exchange exchange) {
        SyncUnit unit = SyncUnit.of(exchange);
        if (unit.record().deleted()) {
            unit.resolved(Map.of(), Map.of(), List.of());
            return;
        }
        RecordTransformer transformer = registry.current().transformer();
        EntityDefinition entity = transformer.entity(unit.entity());
        Map<String, Object> incoming = unit.record().fields();
        Map<String, Object> current = unit.targetValues();
        Map<String, Object> last = unit.targetState().map(RecordState::fieldValues).orElse(null);
        String source = unit.record().sourceSystem();

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<FieldConflict> conflicts = new ArrayList<>();
        for (CompiledField field : transformer.contract(unit.entity(), unit.target()).fields()) {
            String name = field.field();
            if (!field.direction().writes() || !incoming.containsKey(name) || values.containsKey(name)) {
                continue;
            }
            Object mine = incoming.get(name);
            if (current == null || last == null || !current.containsKey(name)) {
                take(values, sources, name, mine, source);
                continue;
            }
            Object theirs = current.get(name);
            boolean targetChanged = !CanonicalValues.same(theirs, last.get(name));
            boolean sourceChanged = !CanonicalValues.same(mine, last.get(name));
            if (!targetChanged || CanonicalValues.same(mine, theirs)) {
                take(values, sources, name, mine, source);
            } else if (!sourceChanged) {
                take(values, sources, name, theirs, unit.target());
            } else {
                ConflictStrategy strategy = strategies.forField(unit.entity(), name);
                FieldConflict conflict = new FieldConflict(unit.entity(), name, source, mine, unit.target(), theirs,
                        last.get(name), entity.masterOf(name), null, null);
                ConflictResolution resolution = strategy.resolve(conflict);
                conflicts.add(conflict.decided(strategy.name(), resolution));
                if (resolution == ConflictResolution.TARGET) {
                    take(values, sources, name, theirs, unit.target());
                } else {
                    take(values, sources, name, mine, source);
                }
            }
        }
        List<FieldConflict> forReview = conflicts.stream().filter(c -> c.resolution() == ConflictResolution.REVIEW).toList();
        if (!forReview.isEmpty()) {
            throw new ConflictHeldException(unit.record(), forReview);
        }
        unit.resolved(values, sources, conflicts);
    }

    private static void take(Map<String, Object> values, Map<String, String> sources, String field, Object value,
                             String system) {
        values.put(field, value);
        sources.put(field, system);
    }
}
