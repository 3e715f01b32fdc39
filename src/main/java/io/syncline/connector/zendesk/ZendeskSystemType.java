package io.syncline.connector.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.RestPresetType;
import io.syncline.connector.SearchTerms;
import io.syncline.model.Ability;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.write.RestConnections;
import io.syncline.write.RestSystemType;
import io.syncline.write.RestTarget;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code zendesk}: the Zendesk Support API. The preset ({@code presets/zendesk.yaml})
 * fixes what Zendesk fixes for every account (auth by API token, cursor pages of at most 100 and
 * {@code meta.has_more}, the rate limit, the signed webhooks, each object's envelope:
 * {@code {"user": {…}}}); its records are read, fetched, created, updated and deleted by the REST
 * code as that data says. This plug-in adds the search for matching, so that a person Zendesk
 * already has is linked rather than created twice (Zendesk refuses a second user of one e-mail):
 * {@code GET …/search?query=<field>:<value>} for the {@code email} and {@code phone} rules,
 * {@code ?external_id=…} for an {@code externalId} rule on Zendesk's {@code external_id}; each hit a
 * candidate that the entity's match rules then score, the confidence in the audit.
 */
@Singleton
public class ZendeskSystemType extends RestPresetType {

    public static final String NAME = "zendesk";

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.FETCH,
            Ability.SEARCH, Ability.WRITE, Ability.ERASE));

    public ZendeskSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(registry, rest, json, connections);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    /** {@code …/search?query=email:ada@example.com}, or {@code ?external_id=…} for the rule on Zendesk's own parameter. */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        String query = term.path().equals("external_id")
                ? "external_id=" + URLEncoder.encode(term.value(), StandardCharsets.UTF_8)
                : "query=" + URLEncoder.encode(term.path() + ":" + term.value(), StandardCharsets.UTF_8);
        return URI.create(target.collection() + "/search?" + query);
    }

    /** The records found, at the object's list member ({@code users}), else Zendesk's {@code results}. */
    @Override
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        RestTarget target = RestTarget.of(model.model(), entity, system);
        String items = target.definition().objectOf(model.model().entities().get(entity).mappings().get(system).resource()).items();
        return records(answer.get(items == null ? "results" : items));
    }
}
