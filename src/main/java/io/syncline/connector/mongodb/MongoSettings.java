package io.syncline.connector.mongodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;

import java.util.Map;

/**
 * A {@code type: mongodb} system's own settings (docs/connectors/mongodb.md): its connection
 * string, written or, with its credentials, taken from the environment ({@code connection: {env:
 * MONGODB_URI}}), and its database.
 */
record MongoSettings(SecretRef connection, String database) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException a setting is missing or malformed, named with the fix */
    static MongoSettings of(String system, SystemDefinition definition) {
        return definition.settings(MongoSettings.class, written -> read(system, written));
    }

    @SuppressWarnings("unchecked")
    private static MongoSettings read(String system, SystemDefinition definition) {
        Map<String, Object> settings = JSON.convertValue(definition.settings(), Map.class);
        Object connection = settings.get("connection");
        SecretRef ref;
        if (connection instanceof String text && text.startsWith("mongodb") && text.contains("@")) {
            throw new IllegalArgumentException("System '" + system + "' (mongodb): the connection string written in the model"
                    + " carries credentials; write connection: {env: <variable holding it>}");
        } else if (connection instanceof String text && text.startsWith("mongodb")) {
            ref = new SecretRef(null, text);
        } else if (connection instanceof Map<?, ?> map && map.size() == 1 && map.get("env") instanceof String env) {
            ref = new SecretRef(env, null);
        } else {
            throw new IllegalArgumentException("System '" + system + "' (mongodb) names no connection: add connection: {env:"
                    + " <variable holding the mongodb:// connection string with its credentials>}");
        }
        if (!(settings.get("database") instanceof String database) || database.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (mongodb) names no database: add database: <name>");
        }
        return new MongoSettings(ref, database);
    }

    /** The connection string, its variable read from {@code environment}. */
    String uri(String system, Environment environment) {
        String uri = connection.literalOrResolve(environment);
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (mongodb): the variable " + connection.env()
                    + " that holds its connection string is not set");
        }
        return uri;
    }
}
