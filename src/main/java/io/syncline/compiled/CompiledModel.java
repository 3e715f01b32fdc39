package io.syncline.compiled;

import io.syncline.conflict.ConflictPolicy;
import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.RecordMatcher;
import io.syncline.model.SyncModel;

import java.util.Map;

/**
 * The model in force: what was declared, its compiled field contracts, a matcher per entity
 * and the conflict strategies per entity and field.
 */
public record CompiledModel(SyncModel model, RecordTransformer transformer, Map<String, RecordMatcher> matchers,
        Map<String, ConflictPolicy> conflictPolicies) {

    public CompiledModel {
        conflictPolicies = conflictPolicies == null ? Map.of() : conflictPolicies;
    }

    public RecordMatcher matcher(String entity) {
        RecordMatcher matcher = matchers.get(entity);
        if (matcher == null) {
            throw new IllegalArgumentException("Unknown entity '" + entity + "'; the model declares " + matchers.keySet());
        }
        return matcher;
    }

    /** The entity's conflict strategies; master-always-wins for every field when it declares none. */
    public ConflictPolicy conflictPolicy(String entity) {
        return conflictPolicies.getOrDefault(entity, ConflictPolicy.byDefault());
    }
}
