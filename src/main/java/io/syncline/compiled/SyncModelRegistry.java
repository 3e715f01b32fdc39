package io.syncline.compiled;

import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelValidationException;
import io.syncline.model.SystemTypeCatalog;
import io.syncline.sensitive.SensitiveValues;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Holds the model in force. At start-up a bad model is fatal; a bad edit reloaded in dev mode
 * keeps the previous model running and is reported by readiness until it is fixed. So does a
 * model file that is gone or empty when the folder is read again: deleted, or caught between an
 * editor's truncation and its write; running on without it would remove its webhooks.
 */
@ApplicationScoped
public class SyncModelRegistry {

    private static final Logger LOG = Logger.getLogger(SyncModelRegistry.class);

    private final SyncModelCompiler compiler;
    private final SensitiveValues sensitive;
    private volatile CompiledModel current;
    private volatile List<ModelProblem> reloadProblems = List.of();
    private volatile Set<String> filesInForce = Set.of();
    /** A candidate model a sync plan evaluates on this thread: what {@link #current} answers there meanwhile. */
    private final ThreadLocal<CompiledModel> candidate = new ThreadLocal<>();

    public SyncModelRegistry(IdMapRepository idMap, SystemTypeCatalog types, SensitiveValues sensitive) {
        this.sensitive = sensitive;
        this.compiler = new SyncModelCompiler(new ConfigEnvironment(), TransformRegistry.builtIn(), idMap, types);
    }

    /** @throws ModelValidationException listing every problem */
    public void load(Collection<ModelFile> files) {
        CompiledModel compiled = compiler.compile(files);
        sensitive.use(compiled.model());
        current = compiled;
        filesInForce = files.stream().map(ModelFile::location).collect(Collectors.toUnmodifiableSet());
        reloadProblems = List.of();
        LOG.infof("Sync model loaded: %d systems, %d entities", current.model().systems().size(),
                current.model().entities().size());
    }

    /** @return whether the files became the model in force (else the problems are reported) */
    public boolean reload(Collection<ModelFile> files) {
        try {
            List<ModelProblem> missing = missing(files);
            if (!missing.isEmpty()) {
                throw new ModelValidationException(missing);
            }
            load(files);
            return true;
        } catch (ModelValidationException e) {
            reloadProblems = e.problems();
            LOG.errorf("Sync model not reloaded, the previous one stays in force. %s", e.getMessage());
            return false;
        }
    }

    /** A problem for each file of the model in force that is gone from {@code files} or empty in it. */
    private List<ModelProblem> missing(Collection<ModelFile> files) {
        Map<String, ModelFile> read = new HashMap<>();
        files.forEach(file -> read.put(file.location(), file));
        List<ModelProblem> missing = new ArrayList<>();
        for (String location : new TreeSet<>(filesInForce)) {
            ModelFile file = read.get(location);
            if (file == null || new String(file.content(), StandardCharsets.UTF_8).isBlank()) {
                missing.add(new ModelProblem(location, 0, "(document)",
                        (file == null ? "the file is gone" : "the file is empty") + "; the model read from it stays in force",
                        "put the file back, or restart to run without it"));
            }
        }
        return missing;
    }

    /** Whether a model was loaded: before start-up has loaded one, {@link #current} throws. */
    public boolean loaded() {
        return current != null;
    }

    /**
     * Compiles model files without putting them in force: a sync plan's candidate.
     *
     * @throws ModelValidationException listing every problem
     */
    public CompiledModel compile(Collection<ModelFile> files) {
        return compiler.compile(files);
    }

    /**
     * Runs {@code work} on this thread with {@code model} as the model {@link #current} answers,
     * so that every stage of a dry run it sends down an apply route (all synchronous, on the
     * caller's thread: {@code direct:} endpoints) decides by the candidate (docs/adr/0018).
     * Every other thread goes on seeing the model in force.
     */
    public <T> T evaluating(CompiledModel model, Callable<T> work) throws Exception {
        CompiledModel before = candidate.get();
        candidate.set(model);
        try {
            return work.call();
        } finally {
            if (before == null) {
                candidate.remove();
            } else {
                candidate.set(before);
            }
        }
    }

    /** The model in force, or on a thread evaluating a candidate ({@link #evaluating}), the candidate. */
    public CompiledModel current() {
        CompiledModel evaluated = candidate.get();
        if (evaluated != null) {
            return evaluated;
        }
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
