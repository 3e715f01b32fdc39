package io.syncline.connector.salesforce;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.model.SystemMapping;

/**
 * A mapping's keys of a {@code type: salesforce} system: the object the org keeps the entity in
 * ({@code sobject: Contact}, {@code Member__c}). A mapping's other keys are every mapping's, or
 * another type's, which the model validator checks.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SalesforceMappingSettings(String sobject) {

    /** The keys of {@code mapping}, bound once and kept on it. */
    public static SalesforceMappingSettings of(SystemMapping mapping) {
        return mapping.settings(SalesforceMappingSettings.class);
    }
}
