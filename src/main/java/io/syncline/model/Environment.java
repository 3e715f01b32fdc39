package io.syncline.model;

/** Where secrets come from: the configuration sources in the application ({@link ConfigEnvironment}), a map in tests. */
@FunctionalInterface
public interface Environment {

    /** The variable's value, or null when it is not set. */
    String get(String name);
}
