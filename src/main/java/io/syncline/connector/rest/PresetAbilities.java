package io.syncline.connector.rest;

import io.syncline.model.Ability;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The abilities of a preset's type: {@code rest}'s, which serves it, with what its provider adds
 * (a search API, a batch call) and without what it lacks (a modified-since filter). A preset
 * declares only what differs, so an ability rest gains reaches every preset at once.
 */
public final class PresetAbilities {

    private PresetAbilities() {
    }

    /** {@code rest}'s abilities, plus {@code adds}, less {@code lacks}. */
    public static Set<Ability> of(Set<Ability> adds, Set<Ability> lacks) {
        EnumSet<Ability> abilities = EnumSet.copyOf(RestSystemType.ABILITIES);
        abilities.addAll(adds);
        abilities.removeAll(lacks);
        return Collections.unmodifiableSet(abilities);
    }
}
