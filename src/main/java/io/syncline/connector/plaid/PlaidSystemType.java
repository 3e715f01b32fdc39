package io.syncline.connector.plaid;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.spi.MissingAbilityException;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemTypeRules;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * System type {@code plaid}: one Item's bank data through Plaid's API (version 2020-09-14), read and
 * never written. The preset ({@code presets/plaid.yaml}) fixes what Plaid fixes for every team (the
 * production host, the rate limit); this plug-in makes Plaid's calls, which are none of the REST
 * preset's: every one a {@code POST} of JSON carrying the credentials ({@link PlaidApi}), the
 * transactions read on from the sync cursor kept between polls and the accounts in one answer
 * ({@link PlaidPuller}). Its abilities are reads alone: a model that writes to a Plaid system is
 * refused at start-up, naming the mapping.
 */
@Singleton
public class PlaidSystemType extends RestPresetType {

    public static final String NAME = "plaid";

    /** Pages (reconciliation, backfill) and changes (polls): Plaid's bank data is read, never written. */
    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.READ_CHANGES));

    /** A REST system's rules with Plaid's credentials, resources and cursor-read polls. */
    public static final SystemTypeRules RULES = PlaidRules.RULES;

    private final PlaidApi api;
    private final PlaidPuller puller;

    public PlaidSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
        this.api = new PlaidApi(connections.client(), json, new ConfigEnvironment());
        this.puller = new PlaidPuller(api, Clock.systemUTC());
    }

    @Override
    public SystemTypeRules rules() {
        return RULES;
    }

    @Override
    public RecordPuller puller() {
        return puller;
    }

    /** {@code POST /accounts/get} with the system's credentials: they work, and the Item is reachable. */
    @Override
    public List<SystemCheck> check(String system, SyncModel model, Duration timeout) {
        try {
            int accounts = records(api.itemCall(PlaidApi.target(system, model.systems().get(system), "account_id"),
                    PlaidPuller.ACCOUNTS_GET, Map.of()).get("accounts")).size();
            return List.of(SystemCheck.passed("credentials", "Plaid answered POST /accounts/get with " + accounts + " accounts"));
        } catch (RuntimeException e) {
            return List.of(SystemCheck.failed("credentials", e.getMessage(), "check auth.clientId, auth.clientSecret and auth.token"
                    + " of " + system + " (the Item's access token, from /item/public_token/exchange) and the Item's state in"
                    + " Plaid's dashboard"));
        }
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        throw new MissingAbilityException(NAME, Ability.FETCH);
    }

    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        throw new MissingAbilityException(NAME, Ability.SEARCH);
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        throw new MissingAbilityException(NAME, Ability.WRITE);
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        throw new MissingAbilityException(NAME, Ability.WRITE);
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        throw new MissingAbilityException(NAME, Ability.WRITE);
    }

    /** The maps of a list in an answer. */
    static List<Map<String, Object>> listed(Object list) {
        return RestPresetType.records(list);
    }
}
