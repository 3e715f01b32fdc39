package io.syncline.connector.spi;

import io.syncline.model.Ability;
import io.syncline.model.SystemTypeRules;

import java.util.Set;

/**
 * A system type that declares what it is once, in its constructor: the model's {@code type:} it
 * serves, its abilities and the rules start-up checks its systems by. The type implements the
 * calls of its abilities.
 */
public abstract class SystemTypeSupport implements SystemType {

    private final String name;
    private final Set<Ability> abilities;
    private final SystemTypeRules rules;

    protected SystemTypeSupport(String name, Set<Ability> abilities, SystemTypeRules rules) {
        this.name = name;
        this.abilities = abilities;
        this.rules = rules;
    }

    /** The container's client proxy's, which declares nothing itself: it hands every call to the bean. */
    protected SystemTypeSupport() {
        this(null, Set.of(), SystemTypeRules.NONE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Ability> abilities() {
        return abilities;
    }

    @Override
    public SystemTypeRules rules() {
        return rules;
    }
}
