package io.syncline.connector.mongodb;

import io.syncline.connector.spi.SettingChecks;
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
        MongoSettings settings = SettingChecks.read(path, system, MongoSettings::of, "docs/connectors/mongodb.md", problems);
        if (settings != null) {
            SettingChecks.variableSet(path + ".connection", settings.connection(), environment, problems);
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
