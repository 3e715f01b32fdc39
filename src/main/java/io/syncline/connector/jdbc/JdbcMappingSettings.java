package io.syncline.connector.jdbc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.model.SystemMapping;

/**
 * A mapping's keys of a {@code type: jdbc} system: the table that holds the entity. A mapping's
 * other keys are every mapping's, or another type's, which the model validator checks.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record JdbcMappingSettings(String table) {

    /** The keys of {@code mapping}, bound once and kept on it. */
    public static JdbcMappingSettings of(SystemMapping mapping) {
        return mapping.settings(JdbcMappingSettings.class);
    }
}
