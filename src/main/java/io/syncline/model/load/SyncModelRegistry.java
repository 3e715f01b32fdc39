package io.syncline.model.load;

import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelValidationException;
import io.syncline.model.SystemTypeCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;

/**
 * Holds the model in force. At start-up a bad model is fatal; a bad edit reloaded in dev mode
 * keeps the previous model running and is reported by readiness until it is fixed.
 */
@ApplicationScoped
public class SyncModelRegistry {

    private static final Logger LOG = Logger.getLogger(SyncModelRegistry.class);

    private final SyncModelCompiler compiler;
    private volatile CompiledModel current;
    private volatile List<ModelProblem> reloadProblems = List.of();

    public SyncModelRegistry(IdMapRepository idMap, SystemTypeCatalog types) {
        this.compiler = new SyncModelCompiler(new ConfigEnvironment(), TransformRegistry.builtIn(), idMap, types);
    }

    /** @throws ModelValidationException listing every problem */
    public void load(Collection<ModelFile> files) {
        current = compiler.compile(files);
        reloadProblems = List.of();
        LOG.infof("Sync model loaded: %d systems, %d entities", current.model().systems().size(),
                current.model().entities().size());
    }

    /** @return whether the files became the model in force (else the problems are reported) */
    public boolean reload(Collection<ModelFile> files) {
        try {
            load(files);
            return true;
        } catch (ModelValidationException e) {
            reloadProblems = e.problems();
            LOG.errorf("Sync model not reloaded, the previous one stays in force. %s", e.getMessage());
            return false;
        }
    }

    public CompiledModel current() {
        CompiledModel model = current;
        if (model == null) {
            throw new IllegalStateException("The sync model is not loaded yet");
        }
        return model;
    }

    public List<ModelProblem> reloadProblems() {
        return reloadProblems;
    }
}
