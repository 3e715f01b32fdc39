package io.syncline.model;

import java.util.Set;

/**
 * The system types the application has, by the name a model's {@code type:} gives, each with its
 * abilities and its rules: what the model validator checks a model against. The connectors
 * provide it; the model knows no type but by name.
 */
public interface SystemTypeCatalog {

    /** The type's abilities; null when no type has that name. */
    Set<Ability> abilitiesOf(String type);

    /** Every type's name, for the fix of an unknown one. */
    Set<String> names();

    /** What the type checks of its systems' settings and mappings; {@link SystemTypeRules#NONE} for an unknown type. */
    default SystemTypeRules rulesOf(String type) {
        return SystemTypeRules.NONE;
    }
}
