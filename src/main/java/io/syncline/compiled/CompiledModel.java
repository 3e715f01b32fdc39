package io.syncline.compiled;

import io.syncline.conflict.ConflictPolicy;
import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.RecordMatcher;
import io.syncline.model.SyncModel;
import io.syncline.rules.Rule;

import java.util.List;
import java.util.Map;

/**
 * The model in force: what was declared, its compiled field contracts, a matcher per entity
 * the conflict strategies per entity and field, and the rules per entity.
 */
public record CompiledModel(SyncModel model, RecordTransformer transformer, Map<String, RecordMatcher> matchers,
        Map<String, ConflictPolicy> conflictPolicies, Map<String, List<Rule>> rules) {

    public CompiledModel {
        conflictPolicies = conflictPolicies == null ? Map.of() : conflictPolicies;
        rules = rules == null ? Map.of() : rules;
    }

    /** A model without rules. */
    public CompiledModel(SyncModel model, RecordTransformer transformer, Map<String, RecordMatcher> matchers,
            Map<String, ConflictPolicy> conflictPolicies) {
        this(model, transformer, matchers, conflictPolicies, null);
    }

    /** The entity's rules that apply to changes written to {@code target}, in declared order. */
    public List<Rule> rules(String entity, String target) {
        return rules.getOrDefault(entity, List.of()).stream().filter(rule -> rule.appliesTo(target)).toList();
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
