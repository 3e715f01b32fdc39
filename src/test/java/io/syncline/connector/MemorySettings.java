package io.syncline.connector;

import io.syncline.model.SystemDefinition;

/**
 * A {@code type: memory} system's own settings, read as every type reads its own.
 *
 * @param idPrefix what the ids the system gives new records start with; {@value #DEFAULT_ID_PREFIX} when left out
 */
record MemorySettings(String idPrefix) {

    static final String DEFAULT_ID_PREFIX = "M-";

    /** The settings of {@code system}, bound once and kept on it. */
    static MemorySettings of(SystemDefinition system) {
        return system.settings(MemorySettings.class);
    }

    String idPrefixOrDefault() {
        return idPrefix == null ? DEFAULT_ID_PREFIX : idPrefix;
    }
}
