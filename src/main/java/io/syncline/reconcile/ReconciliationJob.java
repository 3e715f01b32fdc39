package io.syncline.reconcile;

import io.syncline.model.Durations;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ReconciliationDefinition;
import io.syncline.model.ReconciliationRules;
import io.syncline.model.SyncModel;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A reconciliation job of the model in force, with its defaults filled in. The model was
 * validated at start-up, so this only resolves; {@link #of} fails for an unknown job name.
 *
 * @param master     the entity's system of record (may be neither side)
 * @param subscriber the side whose agreement with the other is scored: the non-master side (side B when neither is master)
 */
public record ReconciliationJob(String name, String entity, String sideA, String sideB, String master, String subscriber,
        String schedule, Duration tolerance, String timestampField, List<String> compare,
        List<String> qualityFields, int pageSize, double truncationThreshold,
        double qualityThreshold, ReconciliationDefinition.Responses responses, String fixEndpoint,
        String keyField, ReconciliationDefinition.Strategy strategy,
        ReconciliationDefinition.Checksums checksums,
        List<ReconciliationDefinition.Expectation> expect, Map<String, BigDecimal> numericTolerances) {

    public static ReconciliationJob of(String name, SyncModel model) {
        ReconciliationDefinition definition = model.reconciliations().get(name);
        if (definition == null) {
            throw new UnknownJobException(name, model.reconciliations().keySet());
        }
        EntityDefinition entity = model.entities().get(definition.entity());
        List<String> compare = definition.compare().isEmpty()
                ? new ArrayList<>(ReconciliationRules.commonFields(entity, definition.sideA(), definition.sideB()))
                : definition.compare();
        String subscriber = definition.sideA().equals(entity.master()) ? definition.sideB() : definition.sideB().equals(entity.master())
                ? definition.sideA() : definition.sideB();
        return new ReconciliationJob(name, definition.entity(), definition.sideA(), definition.sideB(), entity.master(),
                subscriber, definition.schedule(), Durations.parse(definition.toleranceOrDefault()),
                ReconciliationRules.timestampField(definition, entity), List.copyOf(compare),
                definition.qualityFields().isEmpty() ? List.copyOf(compare) : definition.qualityFields(),
                definition.pageSizeOrDefault(), definition.truncationThresholdOrDefault(),
                definition.qualityThresholdOrDefault(), definition.responses(),
                definition.fixEndpointOrDefault(entity.master(), subscriber), entity.key(),
                definition.strategy(), definition.checksums(), definition.expect(), definition.numericTolerances());
    }

    /** The side ('A' or 'B') the master is, or 0 when it is neither. */
    public char masterSide() {
        return sideA.equals(master) ? 'A' : sideB.equals(master) ? 'B' : 0;
    }

    public String system(char side) {
        return side == 'A' ? sideA : sideB;
    }
}
