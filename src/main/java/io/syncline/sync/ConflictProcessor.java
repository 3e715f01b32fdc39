package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.conflict.ConflictResolver;
import io.syncline.conflict.FieldConflict;
import io.syncline.conflict.ReviewResolution;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The conflict processor: decides, field by field, what the target ends up with (see
 * {@link ConflictResolver}): a field only the source changed since the last sync takes the
 * source's value, a field only the target changed keeps the target's, and a field both changed
 * to different values is a conflict, decided by the strategy the model gives that field
 * (default master-always-wins). A strategy that asks for review holds the whole change in the
 * review queue ({@link ConflictHeldException}); a review's resolution comes back through the
 * same route with the person's decisions ({@link ReviewResolution}).
 *
 * <p>In an apply route: {@code process: {ref: ConflictProcessor}}, after the target stage has
 * found the target's row.
 */
@ApplicationScoped
@Named("ConflictProcessor")
@RegisterForReflection
public class ConflictProcessor implements Processor {

    @Inject
    SyncModelRegistry registry;
    @Inject
    SensitiveValues sensitive;

    /** Resolves the exchange's event, or each admitted event of its batch ({@link ApplyEvents}). */
    @Override
    public void process(Exchange exchange) {
        ApplyEvents.forEachAdmitted(exchange, this::resolveEvent);
    }

    private void resolveEvent(Exchange exchange) {
        SyncUnit unit = SyncUnit.of(exchange);
        if (unit.record().deleted()) {
            unit.resolved(Map.of(), Map.of(), List.of());
            return;
        }
        CompiledModel model = registry.current();
        RecordTransformer transformer = model.transformer();
        // quantities are synced as changes, added up rather than decided (QuantityChanges)
        java.util.Set<String> quantities = QuantityChanges.fields(transformer.entity(unit.entity()));
        List<String> fields = transformer.contract(unit.entity(), unit.target()).fields().stream()
                .filter(field -> field.direction().writes())
                .map(CompiledField::field)
                .filter(field -> !quantities.contains(field))
                .distinct()
                .toList();
        ReviewResolution resolution = exchange.getProperty(ExchangeContract.REVIEW_RESOLUTION, ReviewResolution.class);
        // The state store keeps a sensitive field's digest: the sides are compared by digests too,
        // and the value decided is the clear value behind its digest (docs/privacy.md, "Sensitive fields").
        Map<Object, Object> clear = new HashMap<>();
        ConflictResolver.Sides sides = new ConflictResolver.Sides(unit.record().sourceSystem(), unit.target(),
                sealed(unit.entity(), unit.record().fields(), clear), sealed(unit.entity(), unit.targetValues(), clear),
                unit.targetState().map(RecordState::fieldValues).orElse(null),
                unit.sourceTimestamp(), unit.sourceState().map(ConflictProcessor::overwritten).orElse(null), resolution,
                unit.resync());
        ConflictResolver.Outcome outcome = new ConflictResolver(unit.entity(), transformer.entity(unit.entity()),
                model.conflictPolicy(unit.entity())).resolve(fields, sides);
        outcome = unsealed(unit.entity(), outcome, clear);
        List<FieldConflict> forReview = outcome.forReview();
        if (!forReview.isEmpty()) {
            throw new ConflictHeldException(unit.record(), forReview);
        }
        if (resolution != null) {
            unit.note(describe(resolution));
        }
        if (!outcome.lateFields().isEmpty()) {
            unit.note("late report from " + unit.record().sourceSystem() + " of values Syncline had already replaced there: "
                    + String.join(", ", outcome.lateFields()));
        }
        if (unit.resync()) {
            unit.note("re-sync of the master's last known values");
        }
        Map<String, Object> values = outcome.values();
        Map<String, String> sources = outcome.sources();
        if (!quantities.isEmpty()) {
            values = new java.util.LinkedHashMap<>(values);
            sources = new java.util.LinkedHashMap<>(sources);
            for (QuantityChanges.Change change : QuantityChanges.of(unit, transformer.entity(unit.entity())).values()) {
                unit.note(change.field() + ": " + change.how());
                Object value = change.value() != null ? change.value() : change.added(unit.targetValues());
                if (value != null) {
                    // a target that cannot add in place writes the sum: read, then write
                    values.put(change.field(), value);
                    sources.put(change.field(), unit.record().sourceSystem());
                }
            }
        }
        unit.resolved(values, sources, outcome.conflicts(), outcome.lateFields());
    }

    /** The values with each sensitive field's a digest, noting which clear value each digest stands for. */
    private Map<String, Object> sealed(String entity, Map<String, Object> values, Map<Object, Object> clear) {
        Map<String, Object> sealed = sensitive.seal(entity, values);
        if (sealed != values) {
            for (String field : sensitive.fields(entity)) {
                if (values.get(field) != null) {
                    clear.put(sealed.get(field), values.get(field));
                }
            }
        }
        return sealed;
    }

    /** The outcome with each digest it decided for a sensitive field back in clear. */
    private ConflictResolver.Outcome unsealed(String entity, ConflictResolver.Outcome outcome, Map<Object, Object> clear) {
        if (clear.isEmpty()) {
            return outcome;
        }
        Map<String, Object> values = new LinkedHashMap<>(outcome.values());
        for (String field : sensitive.fields(entity)) {
            Object value = values.get(field);
            if (value != null && clear.containsKey(value)) {
                values.put(field, clear.get(value));
            }
        }
        return new ConflictResolver.Outcome(values, outcome.sources(), outcome.conflicts(), outcome.lateFields());
    }

    private static ConflictResolver.Overwritten overwritten(RecordState state) {
        return state.overwrittenValues().isEmpty() ? null
                : new ConflictResolver.Overwritten(state.overwrittenValues(), state.overwrittenModifiedAt());
    }

    private static String describe(ReviewResolution resolution) {
        StringJoiner decided = new StringJoiner(", ", "review item " + resolution.itemId() + " resolved by "
                + resolution.resolvedBy() + ": ", "");
        resolution.decisions().forEach((field, decision) -> decided.add(field + " = " + switch (decision.take()) {
            case SOURCE -> "source value";
            case TARGET -> "target value";
            case CUSTOM -> "custom value";
        }));
        return decided.toString();
    }
}
