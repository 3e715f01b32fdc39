package io.syncline.testsupport;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.Environment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelValidationException;

import java.util.List;
import java.util.Optional;

/** The problems start-up finds in model files, compiled against the built-in system types: none when the model is sound. */
public final class ModelProblems {

    private ModelProblems() {
    }

    public static List<ModelProblem> of(Environment environment, ModelFile... files) {
        SyncModelCompiler compiler = new SyncModelCompiler(environment, TransformRegistry.builtIn(),
                (entity, canonicalId, system) -> Optional.empty(), BuiltInSystemTypes.CATALOG);
        try {
            compiler.compile(List.of(files));
        } catch (ModelValidationException e) {
            return e.problems();
        }
        return List.of();
    }
}
