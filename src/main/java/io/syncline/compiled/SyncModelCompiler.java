package io.syncline.compiled;

import io.syncline.conflict.ConflictPolicy;
import io.syncline.conflict.ConflictPolicyCompiler;
import io.syncline.conflict.ConflictStrategies;
import io.syncline.mapping.ContractCompiler;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.matching.IdMapRule;
import io.syncline.matching.MatchRules;
import io.syncline.matching.RecordMatcher;
import io.syncline.model.Environment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelReader;
import io.syncline.model.ModelValidationException;
import io.syncline.model.ModelValidator;
import io.syncline.model.SystemTypeCatalog;
import io.syncline.rules.Rule;
import io.syncline.rules.RuleCompiler;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model files to a {@link CompiledModel}: read, validate, compile. Every problem of every file
 * is collected first; then either all is well or a {@link ModelValidationException} lists them.
 */
public final class SyncModelCompiler {

    private final Environment environment;
    private final TransformRegistry transforms;
    private final IdMapRule.Lookup idMap;
    private final SystemTypeCatalog types;

    public SyncModelCompiler(Environment environment, TransformRegistry transforms, IdMapRule.Lookup idMap,
            SystemTypeCatalog types) {
        this.environment = environment;
        this.transforms = transforms;
        this.idMap = idMap;
        this.types = types;
    }

    public CompiledModel compile(Collection<ModelFile> files) {
        ModelReader.Result read = new ModelReader().read(files);
        var problems = read.problems();
        new ModelValidator(environment, types).validate(read.model(), problems);
        Map<String, Map<String, FieldContract>> contracts = new ContractCompiler(transforms, types).compile(read.model(), problems);
        Map<String, ConflictPolicy> conflicts = new ConflictPolicyCompiler(ConflictStrategies.builtIn())
                .compile(read.model(), contracts, problems);
        Map<String, List<Rule>> rules = new RuleCompiler().compile(read.model(), problems);
        if (!problems.problems().isEmpty()) {
            throw new ModelValidationException(problems.problems());
        }
        Map<String, RecordMatcher> matchers = new LinkedHashMap<>();
        read.model().entities().forEach((name, entity) -> matchers.put(name, MatchRules.matcherFor(entity, idMap)));
        return new CompiledModel(read.model(), new RecordTransformer(read.model().entities(), contracts), matchers, conflicts, rules);
    }
}
