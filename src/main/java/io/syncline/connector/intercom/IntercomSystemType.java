package io.syncline.connector.intercom;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code intercom}: Intercom's REST API, version 2.11. The preset
 * ({@code presets/intercom.yaml}) fixes what Intercom fixes for every workspace (the bearer token and
 * the {@code Intercom-Version} header, cursor pages of 150 under {@code data}, the rate limit, the
 * webhooks signed with HMAC-SHA1 in {@code X-Hub-Signature}); the REST code reads, fetches and writes
 * its records as that data says. This plug-in adds Intercom's search for matching, so that a person
 * the workspace already has is linked rather than created twice (Intercom refuses a second user of
 * one e-mail): {@code POST …/search} with {@code {"query": {"field", "operator": "=", "value"},
 * "pagination": {"per_page": 150}}} for each of the entity's match rules on a field Intercom searches
 * by, each hit under {@code data} a candidate that the rules then score.
 */
@Singleton
public class IntercomSystemType extends RestPresetType {

    public static final String NAME = "intercom";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH), Set.of());

    /** The most records one page of a search answers. */
    static final int SEARCH_PAGE = 150;

    /** The contact and company fields Intercom's search takes with the {@code =} operator. */
    private static final Set<String> SEARCHABLE = Set.of("email", "external_id", "phone", "name", "company_id");

    public IntercomSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** The record's candidates: the records each of its searchable terms finds, each once. */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        CompiledModel model = model();
        String entity = record.entity();
        RestTarget target = target(entity, system);
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (SearchTerms.Term term : SearchTerms.of(model, entity, system, record.fields())) {
            if (!SEARCHABLE.contains(term.path())) {
                continue;
            }
            Map<String, Object> body = Map.of("query", Map.of("field", term.path(), "operator", "=", "value", term.value()),
                    "pagination", Map.of("per_page", SEARCH_PAGE));
            HttpResponse<String> response = client().call(target, "POST", URI.create(target.collection() + "/search"), body,
                    status -> false);
            for (Map<String, Object> found : found(model, entity, system, answer(target, "search " + target.resource(), response))) {
                Map<String, Object> read = read(found);
                Object id = read.get(target.keyPath());
                if (id != null) {
                    byId.putIfAbsent(id.toString(), read);
                }
            }
        }
        List<MatchCandidate> candidates = new ArrayList<>();
        for (Map<String, Object> found : byId.values()) {
            candidates.add(new MatchCandidate(String.valueOf(found.get(target.keyPath())),
                    model.transformer().toCanonicalUnhashed(entity, system, found).fields()));
        }
        return candidates;
    }

    /** Each record's {@link #search}: Intercom's search takes one filter a field. */
    @Override
    public List<List<MatchCandidate>> searchAll(String system, List<CanonicalRecord> records) {
        List<List<MatchCandidate>> candidates = new ArrayList<>(records.size());
        for (CanonicalRecord record : records) {
            candidates.add(search(system, record));
        }
        return candidates;
    }

    /** The records of a search's answer, under {@code data}. */
    @Override
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        return records(answer.get("data"));
    }
}
