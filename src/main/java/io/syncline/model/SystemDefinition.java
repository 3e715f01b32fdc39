package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A named connection Syncline reads from and writes to; {@code type} picks the system type (its
 * connector). The types the model describes itself have a record of their own; any other type
 * is a {@link PluggedSystem}, whose settings its connector reads.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", visible = true, defaultImpl = PluggedSystem.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = JdbcSystem.class, name = "jdbc"),
        @JsonSubTypes.Type(value = RestSystem.class, name = "rest"),
        @JsonSubTypes.Type(value = SalesforceSystem.class, name = "salesforce")
})
public sealed interface SystemDefinition permits JdbcSystem, RestSystem, SalesforceSystem, PluggedSystem {

    /** The system type's name, as the model's {@code type:} gives it; null when the model gives none. */
    String type();

    /**
     * Whether its type may read a record back before writing it, where the type can
     * ({@link Ability#READ_BACK}): a system whose every read is a paid call says so itself.
     */
    default boolean readsBack() {
        return true;
    }

    /** Every secret the system needs, with its path in the model for error messages. */
    java.util.Map<String, SecretRef> secrets();
}
