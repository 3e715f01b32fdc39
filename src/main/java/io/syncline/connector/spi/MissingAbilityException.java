package io.syncline.connector.spi;

import io.syncline.model.Ability;

/** A system type was asked for something it cannot do; the model validator keeps models from asking. */
public class MissingAbilityException extends UnsupportedOperationException {

    public MissingAbilityException(String type, Ability ability) {
        super("System type " + type + " cannot " + ability.label());
    }
}
