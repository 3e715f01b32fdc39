package io.syncline.connector.mongodb;

import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;

import java.util.Set;

/**
 * What start-up checks of a MongoDB system: a connection string (from the environment where it
 * carries credentials, the variable set) and a database; and that each mapping names the
 * collection that holds its entity.
 */
final class MongoRules implements SystemTypeRules {

    static final MongoRules RULES = new MongoRules();

    private MongoRules() {
    }

    @Override
    public void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        MongoSettings settings;
        try {
            settings = MongoSettings.of(name, system);
        } catch (IllegalArgumentException e) {
            problems.report(path, e.getMessage(), "see docs/connectors/mongodb.md for a system's settings");
            return;
        }
        if (!settings.connection().isLiteral() && environment.get(settings.connection().env()) == null) {
            problems.report(path + ".connection", "environment variable " + settings.connection().env() + " is not set",
                    "set " + settings.connection().env() + " in the environment (a Kubernetes Secret mapped into the pod)");
        }
    }

    @Override
    public Set<String> mappingKeys() {
        return Set.of("collection");
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
        String collection = MongoMappingSettings.of(mapping).collection();
        if (collection == null || collection.isBlank()) {
            problems.report(path, "the MongoDB mapping of " + entity + " names no collection",
                    "add collection: <the collection that holds the " + entity + " documents>");
        }
    }
}
