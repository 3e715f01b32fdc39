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
import io.syncline.state.RecordState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

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
        List<String> fields = transformer.contract(unit.entity(), unit.target()).fields().stream()
                .filter(field -> field.direction().writes())
                .map(CompiledField::field)
                .distinct()
                .toList();
        ReviewResolution resolution = exchange.getProperty(ExchangeContract.REVIEW_RESOLUTION, ReviewResolution.class);
        ConflictResolver.Sides sides = new ConflictResolver.Sides(unit.record().sourceSystem(), unit.target(),
                unit.record().fields(), unit.targetValues(), unit.targetState().map(RecordState::fieldValues).orElse(null),
                unit.sourceTimestamp(), unit.sourceState().map(ConflictProcessor::overwritten).orElse(null), resolution,
                unit.resync());
        ConflictResolver.Outcome outcome = new ConflictResolver(unit.entity(), transformer.entity(unit.entity()),
                model.conflictPolicy(unit.entity())).resolve(fields, sides);
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
        unit.resolved(outcome.values(), outcome.sources(), outcome.conflicts(), outcome.lateFields());
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
