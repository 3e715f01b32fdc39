package io.syncline.connector.mongodb;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.model.SystemMapping;

/**
 * A mapping's keys of a {@code type: mongodb} system: the {@code collection} that holds the
 * entity. A mapping's other keys are every mapping's; its {@code key} is stored as each document's
 * {@code _id}, so a write by key is an upsert and a key is never held twice.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record MongoMappingSettings(String collection) {

    /** The keys of {@code mapping}, bound once and kept on it. */
    public static MongoMappingSettings of(SystemMapping mapping) {
        return mapping.settings(MongoMappingSettings.class);
    }
}
