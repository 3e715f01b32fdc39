package io.syncline.connector.spi;

import io.syncline.model.ChangeFilter;
import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;

import java.util.Map;

/**
 * The rules of a type whose systems bind their settings to one class, which names its own
 * secrets: {@link #validate} binds them, reporting what is wrong binding, then {@link #check}s what
 * they lack; {@link #secrets} are the bound settings'.
 */
public abstract class SettingsRules<S extends SettingsRules.Secrets> implements SystemTypeRules {

    /** A type's settings, which know the secrets they name, by their paths under the system. */
    public interface Secrets {

        Map<String, SecretRef> secrets();
    }

    private final Class<S> settings;

    protected SettingsRules(Class<S> settings) {
        this.settings = settings;
    }

    @Override
    public final void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        check(path, system.settings(settings, path, problems), environment, problems);
    }

    @Override
    public final Map<String, SecretRef> secrets(SystemDefinition system) {
        return system.settings(settings).secrets();
    }

    /**
     * A poll of such a type reads the column of the entity's modifiedAt, and so takes no
     * {@code changes} ({@link SystemTypeRules#refuseChanges}), unless the type reads changes its own way.
     */
    @Override
    public void validatePoll(String path, String system, ChangeFilter changes, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        SystemTypeRules.refuseChanges(path, system, changes, definition, problems);
    }

    /**
     * Whether a mapping names what a pull reads ({@code source}: its table, its object); where it
     * does not, reports the problem and its fix.
     */
    protected static boolean named(String at, String source, String problem, String fix, ProblemReporter problems) {
        if (source == null) {
            problems.report(at, problem, fix);
            return false;
        }
        return true;
    }

    /** What the system's bound settings lack or get wrong, each gap one problem with its fix. */
    protected abstract void check(String path, S settings, Environment environment, ProblemReporter problems);
}
