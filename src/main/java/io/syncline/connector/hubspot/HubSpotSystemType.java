package io.syncline.connector.hubspot;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.Erasure;
import io.syncline.connector.SearchTerms;
import io.syncline.connector.SystemType;
import io.syncline.connector.TargetStages;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.reconcile.pull.PullRequest;
import io.syncline.reconcile.pull.RecordPuller;
import io.syncline.reconcile.pull.RestRecordPuller;
import io.syncline.write.HttpTargetClient;
import io.syncline.write.RestConnections;
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
 * System type {@code hubspot}: HubSpot's CRM v3 objects API. The preset
 * ({@code presets/hubspot.yaml}) fixes what HubSpot fixes for every portal (base URL, a private
 * app's token as bearer, the {@code after} cursor and 100 records a page, the rate limit, the v3
 * webhook signature and its array of thin events); this plug-in adds what the REST code cannot
 * say as data:
 * <ul>
 *   <li>the record envelope: HubSpot's {@code {"id", "properties": {…}}} is read as one flat record
 *       (the properties, and {@code id}), so that a mapping names properties as they are
 *       ({@code path: email}); writes wrap them again, every value a string as HubSpot takes them;</li>
 *   <li>a create carries the {@code associations} member HubSpot's create schema has (empty);</li>
 *   <li>a fetch asks for the properties the mapping reads ({@code ?properties=}), where HubSpot
 *       would answer its default ones only;</li>
 *   <li>search for matching: {@code POST …/search} with one filter group per match rule of the entity
 *       ({@code email EQ …}), so a contact already in HubSpot is linked, not created twice;</li>
 *   <li>batches: the updates and creates of an inbox batch go to {@code POST …/batch/update} and
 *       {@code …/batch/create}, 100 a call ({@link HubSpotTargetStages}).</li>
 * </ul>
 */
@ApplicationScoped
public class HubSpotSystemType implements SystemType {

    public static final String NAME = "hubspot";

    /** Most inputs HubSpot takes in one batch call, and most records a page. */
    static final int BATCH_LIMIT = 100;

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.FETCH,
            Ability.READ_BACK, Ability.SEARCH, Ability.WRITE, Ability.BATCH_WRITE, Ability.ERASE));

    private final SyncModelRegistry registry;
    private final HttpTargetClient client;
    private final RestRecordPuller rest;
    private final ObjectMapper json;

    public HubSpotSystemType(SyncModelRegistry registry, SynclineConfig config, ObjectMapper json, RestConnections connections) {
        this.registry = registry;
        this.json = json;
        // the auth and the rate limit every replica shares, as for any REST system
        this.client = connections.client();
        this.rest = connections.puller();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    /**
     * Pages of at most 100 records, whatever the job asks, with the properties the mapping reads
     * (HubSpot would answer its default ones only), each record read flat.
     */
    @Override
    public RecordPuller puller() {
        return (request, sink) -> {
            SystemMapping mapping = request.mapping();
            List<String> properties = properties(mapping);
            SystemMapping asking = properties.isEmpty() ? mapping : new SystemMapping(mapping.key(), mapping.table(),
                    withProperties(URI.create(mapping.resource()), properties).toString(), mapping.sobject(), mapping.write(),
                    mapping.fields(), mapping.delete(), mapping.hooks(), mapping.route(), mapping.erase(), mapping.envelope());
            return rest.pull(new PullRequest(request.entity(), request.systemName(), request.system(), asking,
                    Math.min(request.pageSize(), BATCH_LIMIT), request.keys(), request.changes(), request.after()),
                    page -> sink.accept(page.stream().map(HubSpotSystemType::flat).toList()));
        };
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        URI uri = withProperties(target.item(id), properties(entity, system));
        HttpResponse<String> response = client.call(target, "GET", uri, null, status -> status == 404 || status == 410);
        if (response.statusCode() / 100 != 2) {
            return Optional.empty();
        }
        return Optional.of(flat(object(target, "GET", response)));
    }

    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        String entity = record.entity();
        List<Map<String, Object>> groups = filterGroups(entity, system, record.fields());
        if (groups.isEmpty()) {
            return List.of();
        }
        RestTarget target = target(entity, system);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("filterGroups", groups);
        request.put("properties", properties(entity, system));
        request.put("limit", BATCH_LIMIT);
        HttpResponse<String> response = client.call(target, "POST", URI.create(target.collection() + "/search"), request,
                status -> false);
        Map<String, Object> answer = object(target, "POST search", response);
        CompiledModel model = registry.current();
        List<MatchCandidate> candidates = new ArrayList<>();
        if (answer.get("results") instanceof List<?> results) {
            for (Object result : results) {
                if (result instanceof Map<?, ?> found) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = flat((Map<String, Object>) found);
                    candidates.add(new MatchCandidate(String.valueOf(row.get("id")),
                            model.transformer().toCanonicalUnhashed(entity, system, row).fields()));
                }
            }
        }
        return candidates;
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        HttpResponse<String> response = client.call(target, "POST", target.collection(), forCreate(target, row), status -> false);
        Object id = object(target, "POST", response).get("id");
        if (id == null) {
            throw new TargetRejectedException(system, response.statusCode(), null, system + " answered " + response.statusCode()
                    + " to POST " + target.resource() + " without the new record's id; the record was probably created:"
                    + " check " + system + " before replaying");
        }
        return id.toString();
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        client.call(target, "PATCH", target.item(id), Map.of("properties", properties(target, row)), status -> false);
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        int status = client.call(target, "DELETE", target.item(id), null, code -> code == 404 || code == 410).statusCode();
        return status != 404 && status != 410;
    }

    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        return erasure.byRecordCalls(this, registry.current().transformer(), entity, system, id);
    }

    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new HubSpotTargetStages(this, context);
    }

    // --- what the stages share ---------------------------------------------------------------

    HttpTargetClient client() {
        return client;
    }

    RestTarget target(String entity, String system) {
        return RestTarget.of(registry.current().model(), entity, system);
    }

    /** A create's input: the properties, and the {@code associations} member, none. */
    static Map<String, Object> forCreate(RestTarget target, Map<String, Object> row) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("properties", properties(target, row));
        input.put("associations", List.of());
        return input;
    }

    /**
     * A mapped record's properties as HubSpot takes them: every member but the record's id, each
     * value a string (a number or a boolean as written, nothing as the empty string, which clears it).
     */
    static Map<String, String> properties(RestTarget target, Map<String, Object> row) {
        Map<String, String> properties = new LinkedHashMap<>();
        row.forEach((name, value) -> {
            if (!name.equals(target.keyPath())) {
                properties.put(name, value == null ? "" : value instanceof Map || value instanceof List
                        ? String.valueOf(value) : value.toString());
            }
        });
        return properties;
    }

    /** HubSpot's record {@code {"id", "properties": {…}, …}} read flat: its properties and its {@code id}. */
    static Map<String, Object> flat(Map<String, Object> record) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (record.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, value) -> flat.put(String.valueOf(name), value));
        }
        flat.put("id", record.get("id"));
        return flat;
    }

    // --- plumbing -------------------------------------------------------------------------------

    /** The properties the mapping reads, asked for by name where HubSpot would answer its default ones. */
    private List<String> properties(String entity, String system) {
        return properties(mapping(registry.current().model(), entity, system));
    }

    private static List<String> properties(SystemMapping mapping) {
        return mapping.fields().stream().map(FieldMapping::path)
                .filter(path -> path != null && !path.contains(".") && !path.equals(mapping.key())).distinct().toList();
    }

    /**
     * One filter group for each match rule HubSpot can search by ({@code email}, {@code phone},
     * {@code externalId}) whose field the record has and the mapping writes: HubSpot ORs the groups.
     */
    private List<Map<String, Object>> filterGroups(String entity, String system, Map<String, Object> fields) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (SearchTerms.Term term : SearchTerms.of(registry.current(), entity, system, fields)) {
            Map<String, Object> filter = new LinkedHashMap<>();
            filter.put("propertyName", term.path());
            filter.put("operator", "EQ");
            filter.put("value", term.value());
            groups.add(Map.of("filters", List.of(filter)));
        }
        return groups;
    }

    private static SystemMapping mapping(SyncModel model, String entity, String system) {
        EntityDefinition definition = model.entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        if (mapping == null) {
            throw new IllegalArgumentException("No mapping of entity '" + entity + "' for system '" + system + "' in the sync model");
        }
        return mapping;
    }

    private static URI withProperties(URI uri, List<String> properties) {
        if (properties.isEmpty()) {
            return uri;
        }
        List<String> encoded = properties.stream().map(name -> URLEncoder.encode(name, StandardCharsets.UTF_8)).toList();
        return URI.create(uri + "?properties=" + String.join(",", encoded));
    }

    Map<String, Object> object(RestTarget target, String request, HttpResponse<String> response) {
        try {
            Map<String, Object> body = json.readValue(Objects.requireNonNullElse(response.body(), ""), new TypeReference<>() {
            });
            return body == null ? Map.of() : body;
        } catch (IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, request + " " + target.resource()
                    + " answered " + response.statusCode() + " with a body that is not a JSON object: " + e.getMessage());
        }
    }
}
