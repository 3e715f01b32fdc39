package io.syncline.connector.quickbooks;

import io.syncline.connector.rest.RestMappingSettings;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.model.ChangeFilter;
import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;

import java.util.Map;
import java.util.Set;

/**
 * A QuickBooks system's rules: a REST system's ({@link RestSystemType#RULES}), except that a pull
 * needs no {@code pagination}: the plug-in reads an entity whole through the company's query,
 * {@code STARTPOSITION} and {@code MAXRESULTS}, to the first short page, so a reconciliation of a
 * QuickBooks mapping needs only its {@code resource}.
 */
final class QuickBooksRules implements SystemTypeRules {

    static final QuickBooksRules RULES = new QuickBooksRules();
    private static final SystemTypeRules REST = RestSystemType.RULES;

    private QuickBooksRules() {
    }

    @Override
    public void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        REST.validate(path, system, environment, problems);
    }

    @Override
    public Map<String, SecretRef> secrets(SystemDefinition system) {
        return REST.secrets(system);
    }

    @Override
    public boolean readsBack(SystemDefinition system) {
        return REST.readsBack(system);
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system, ProblemReporter problems) {
        REST.validateMapping(path, entity, mapping, system, problems);
    }

    @Override
    public void validateWebhookSource(String path, String system, SystemDefinition definition, ProblemReporter problems) {
        REST.validateWebhookSource(path, system, definition, problems);
    }

    @Override
    public Set<String> mappingKeys() {
        return REST.mappingKeys();
    }

    @Override
    public Map<String, SystemTypeRules.KeyMisuse> ownMappingKeys() {
        return REST.ownMappingKeys();
    }

    @Override
    public void validatePoll(String path, String system, ChangeFilter changes, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        REST.validatePoll(path, system, changes, mapping, definition, problems);
    }

    /** The query's pages are the plug-in's: only the entity (the mapping's resource) is needed. */
    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition, ProblemReporter problems) {
        if (RestMappingSettings.of(mapping).resource() == null) {
            problems.report(at, "the QuickBooks mapping of '" + system + "' names no entity to pull",
                    "add resource: <the entity, as QuickBooks names it>, e.g. resource: Payment");
            return false;
        }
        return true;
    }
}
