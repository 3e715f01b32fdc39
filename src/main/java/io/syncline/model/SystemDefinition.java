package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A named connection Syncline reads from and writes to; {@code type} picks the kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JdbcSystem.class, name = "jdbc"),
        @JsonSubTypes.Type(value = RestSystem.class, name = "rest"),
        @JsonSubTypes.Type(value = SalesforceSystem.class, name = "salesforce")
})
public sealed interface SystemDefinition permits JdbcSystem, RestSystem, SalesforceSystem, UnknownSystem {

    /** Every secret the system needs, with its path in the model for error messages. */
    java.util.Map<String, SecretRef> secrets();
}
