package io.syncline.connector.plaid;

import io.syncline.connector.rest.RestMappingSettings;
import io.syncline.connector.rest.RestSettings;
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

import static io.syncline.connector.spi.SettingChecks.require;

/**
 * A Plaid system's rules: a REST system's ({@link RestSystemType#RULES}), with the credentials every
 * call of Plaid carries in its body (the team's {@code auth.clientId} and {@code auth.clientSecret},
 * the Item's {@code auth.token}); a mapping reads {@code transactions} or {@code accounts}; a poll is
 * read on from Plaid's sync cursor, so it takes no {@code changes}; a webhook source needs no secret
 * (Plaid signs with keys Syncline fetches).
 */
final class PlaidRules implements SystemTypeRules {

    static final PlaidRules RULES = new PlaidRules();
    private static final Set<String> RESOURCES = Set.of(PlaidPuller.TRANSACTIONS, PlaidPuller.ACCOUNTS);
    private static final SystemTypeRules REST = RestSystemType.RULES;

    private PlaidRules() {
    }

    @Override
    public void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        REST.validate(path, system, environment, problems);
        RestSettings.Auth auth = RestSettings.of(system).auth();
        String at = path + ".auth";
        require(at, "clientId", auth == null ? null : auth.clientId(), problems);
        require(at, "clientSecret", auth == null ? null : auth.clientSecret(), problems);
        require(at, "token", auth == null ? null : auth.token(), problems);
    }

    @Override
    public Map<String, SecretRef> secrets(SystemDefinition system) {
        return REST.secrets(system);
    }

    /** Never: Plaid's data is read, not written, so nothing is read back before a write. */
    @Override
    public boolean readsBack(SystemDefinition system) {
        return false;
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system, ProblemReporter problems) {
        REST.validateMapping(path, entity, mapping, system, problems);
        String resource = RestMappingSettings.of(mapping).resource();
        if (resource == null || !RESOURCES.contains(resource.replaceFirst("^/", ""))) {
            problems.report(path + ".resource", "a Plaid mapping reads transactions (POST /transactions/sync) or accounts"
                    + " (POST /accounts/get), not " + resource, "write resource: transactions, or resource: accounts");
        }
    }

    @Override
    public Set<String> mappingKeys() {
        return REST.mappingKeys();
    }

    @Override
    public Map<String, KeyMisuse> ownMappingKeys() {
        return REST.ownMappingKeys();
    }

    /** Read on from the sync's cursor: no filter by time to describe. */
    @Override
    public void validatePoll(String path, String system, ChangeFilter changes, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        if (changes != null) {
            problems.report(path + ".changes", system + " is polled by Plaid's own sync cursor (POST /transactions/sync),"
                    + " not by a modification time", "remove changes");
        }
    }

    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition, ProblemReporter problems) {
        return RestMappingSettings.of(mapping).resource() != null;
    }
}
