package io.syncline.connector.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.model.SystemMapping;

/**
 * A mapping's keys of a {@code type: rest} system, or of a preset's type: the collection its
 * records are under, how they are written and how they are wrapped. A mapping's other keys are
 * every mapping's, or another type's, which the model validator checks.
 *
 * @param resource collection path under the system's baseUrl ({@code /crm/v3/objects/contacts}), or the
 *                 name of one of its objects ({@link RestSettings#objects()})
 * @param write    HTTP methods the target is written with, over its object's; {@link Write#DEFAULT} when neither says
 * @param envelope how its records are wrapped in requests and answers, over its object's ({@link Envelope})
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestMappingSettings(String resource, Write write, Envelope envelope) {

    /** The keys of {@code mapping}, bound once and kept on it. */
    public static RestMappingSettings of(SystemMapping mapping) {
        return mapping.settings(RestMappingSettings.class);
    }

    /** The write methods in force: the declared ones, POST and PATCH for what was left out. */
    public Write writeOrDefault() {
        return write == null ? Write.DEFAULT : write.withDefaults();
    }
}
