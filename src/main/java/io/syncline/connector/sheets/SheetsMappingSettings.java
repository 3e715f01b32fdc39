package io.syncline.connector.sheets;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.model.SystemMapping;

/**
 * A mapping's keys of a {@code type: google-sheets} system: the range that holds the entity
 * ({@code resource: Members!A1:F}, {@link SheetRange}). A mapping's other keys are every mapping's.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SheetsMappingSettings(String resource) {

    /** The keys of {@code mapping}, bound once and kept on it. */
    public static SheetsMappingSettings of(SystemMapping mapping) {
        return mapping.settings(SheetsMappingSettings.class);
    }
}
