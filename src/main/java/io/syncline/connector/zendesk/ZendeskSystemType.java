package io.syncline.connector.zendesk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.Erasure;
import io.syncline.connector.SearchTerms;
import io.syncline.connector.SystemType;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.reconcile.pull.RecordPuller;
import io.syncline.write.HttpTargetClient;
import io.syncline.write.RestConnections;
import io.syncline.write.RestSystemType;
import io.syncline.write.RestTarget;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
@ApplicationScoped
public class ZendeskSystemType implements SystemType {

    public static final String NAME = "zendesk";

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.FETCH,
            Ability.SEARCH, Ability.WRITE, Ability.ERASE));

    private final SyncModelRegistry registry;
    private final RestSystemType rest;
    private final HttpTargetClient client;
    private final ObjectMapper json;

    public ZendeskSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        this.registry = registry;
        this.rest = rest;
        this.json = json;
        this.client = connections.client();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    @Override
    public RecordPuller puller() {
        return rest.puller();
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        return rest.fetch(entity, system, id);
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        return rest.create(entity, system, row);
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        rest.update(entity, system, id, row);
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        return rest.delete(entity, system, id);
    }

    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        return erasure.byRecordCalls(this, registry.current().transformer(), entity, system, id);
    }

    /** One search call for each term; the records found, each once. */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        String entity = record.entity();
        CompiledModel model = registry.current();
        RestTarget target = RestTarget.of(model.model(), entity, system);
        String items = target.definition().objectOf(model.model().entities().get(entity).mappings().get(system).resource()).items();
        Map<String, MatchCandidate> found = new LinkedHashMap<>();
        for (SearchTerms.Term term : SearchTerms.of(model, entity, system, record.fields())) {
            URI uri = URI.create(target.collection() + "/search?" + query(term));
            HttpResponse<String> response = client.call(target, "GET", uri, null, status -> false);
            for (Map<String, Object> hit : hits(target, response, items == null ? "results" : items)) {
                Object id = hit.get(target.keyPath());
                if (id != null) {
                    found.putIfAbsent(id.toString(), new MatchCandidate(id.toString(),
                            model.transformer().toCanonicalUnhashed(entity, system, hit).fields()));
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** {@code query=email:ada@example.com}, or {@code external_id=…} for the rule on Zendesk's own parameter. */
    private static String query(SearchTerms.Term term) {
        if (term.path().equals("external_id")) {
            return "external_id=" + URLEncoder.encode(term.value(), StandardCharsets.UTF_8);
        }
        return "query=" + URLEncoder.encode(term.path() + ":" + term.value(), StandardCharsets.UTF_8);
    }

    private List<Map<String, Object>> hits(RestTarget target, HttpResponse<String> response, String items) {
        Map<String, Object> body;
        try {
            body = json.readValue(Objects.requireNonNullElse(response.body(), ""), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, "GET " + target.resource()
                    + "/search answered " + response.statusCode() + " with a body that is not a JSON object: " + e.getMessage());
        }
        List<Map<String, Object>> hits = new ArrayList<>();
        if (body != null && body.get(items) instanceof List<?> list) {
            for (Object each : list) {
                if (each instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> hit = (Map<String, Object>) map;
                    hits.add(hit);
                }
            }
        }
        return hits;
    }
}
