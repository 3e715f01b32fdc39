package io.syncline.connector.xero;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.Erasure;
import io.syncline.connector.SearchTerms;
import io.syncline.connector.SystemType;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.RestSystem;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * System type {@code xero}: Xero's Accounting API. The preset ({@code presets/xero.yaml}) fixes
 * what Xero fixes for every organisation as data: the base URL, OAuth 2.0 with rotating refresh
 * tokens, the {@code xero-tenant-id} header, the {@code {"Contacts": [{…}]}} envelope, creates by
 * {@code PUT} on the collection, numbered pages, the rate limit, the webhook signature and its
 * intent-to-receive answer. The REST code does all of that; this plug-in adds search for matching:
 * {@code GET /Contacts?where=EmailAddress=="…"}, one request per match rule, so that a contact Xero
 * already has is linked, not created twice (Xero refuses a second contact of the same name).
 */
@ApplicationScoped
public class XeroSystemType implements SystemType {

    public static final String NAME = "xero";

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.FETCH,
            Ability.SEARCH, Ability.WRITE, Ability.ERASE));

    private final SyncModelRegistry registry;
    private final RestSystemType rest;
    private final HttpTargetClient client;
    private final ObjectMapper json;

    public XeroSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
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

    /**
     * The contacts whose field equals the record's, for each match rule: Xero's {@code where} filter,
     * {@code Field=="value"} with the value's quotes and backslashes escaped.
     */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        CompiledModel model = registry.current();
        String entity = record.entity();
        RestTarget target = RestTarget.of(model.model(), entity, system);
        List<MatchCandidate> candidates = new ArrayList<>();
        for (SearchTerms.Term term : SearchTerms.of(model, entity, system, record.fields())) {
            String where = term.path() + "==\"" + term.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            URI uri = URI.create(target.collection() + "?where=" + URLEncoder.encode(where, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            HttpResponse<String> response = client.call(target, "GET", uri, null, status -> false);
            for (Map<String, Object> contact : contacts(target, items(model, entity, system), response)) {
                Object id = contact.get(target.keyPath());
                if (id != null && candidates.stream().noneMatch(found -> found.systemId().equals(id.toString()))) {
                    candidates.add(new MatchCandidate(id.toString(),
                            model.transformer().toCanonicalUnhashed(entity, system, contact).fields()));
                }
            }
        }
        return candidates;
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

    /** Where the mapping's object lists its records in an answer ({@code Contacts}). */
    private static String items(CompiledModel model, String entity, String system) {
        RestSystem definition = (RestSystem) model.model().systems().get(system);
        String items = definition.objectOf(model.model().entities().get(entity).mappings().get(system).resource()).items();
        return items != null ? items : definition.pagination() == null ? null : definition.pagination().itemsField();
    }

    /** The records of a search's answer, at {@code items}. */
    private List<Map<String, Object>> contacts(RestTarget target, String items, HttpResponse<String> response) {
        Map<String, Object> body;
        try {
            body = json.readValue(Objects.requireNonNullElse(response.body(), ""), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, "GET " + target.resource()
                    + " answered " + response.statusCode() + " with a body that is not a JSON object: " + e.getMessage());
        }
        List<Map<String, Object>> contacts = new ArrayList<>();
        if (body != null && items != null && body.get(items) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> contact = (Map<String, Object>) map;
                    contacts.add(contact);
                }
            }
        }
        return contacts;
    }
}
