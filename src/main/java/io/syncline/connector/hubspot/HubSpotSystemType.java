package io.syncline.connector.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemCheck;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.RateLimit;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.connector.spi.TargetStages;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.FieldMapping;
import io.syncline.model.SystemMapping;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *   <li>associations: a reference mapped at {@code associations.<object>} is written in a create's
 *       {@code associations}, kept by the v4 associations API on update ({@link AssociationWrites}),
 *       and read back with {@code ?associations=} ({@link Associations}); a create without any
 *       carries the member HubSpot's create schema has, empty;</li>
 *   <li>a fetch asks for the properties the mapping reads ({@code ?properties=}), where HubSpot
 *       would answer its default ones only;</li>
 *   <li>matching, so a contact already in HubSpot is linked, not created twice: by e-mail through
 *       {@code POST …/batch/read} with {@code idProperty: email}, a batch's new contacts 100 a call;
 *       by any other rule through {@code POST …/search}, paced at HubSpot's search limit
 *       ({@link #searchAll});</li>
 *   <li>batches: the updates and creates of an inbox batch go to {@code POST …/batch/update} and
 *       {@code …/batch/create}, 100 a call ({@link HubSpotTargetStages}).</li>
 * </ul>
 */
@Singleton // not proxied: its base class takes its collaborators in its constructor
public class HubSpotSystemType extends RestPresetType {

    public static final String NAME = "hubspot";

    /** Most inputs HubSpot takes in one batch call, and most records a page. */
    static final int BATCH_LIMIT = 100;

    /** The contact property HubSpot reads records by in a batch ({@code idProperty}): unique to each contact. */
    static final String EMAIL = "email";

    /**
     * The pace of {@code POST …/search} for all replicas: HubSpot allows 5 search requests a second
     * a portal, beside its general limit (the preset's {@code rateLimit}); 4, evenly spaced, keeps
     * clear of it however HubSpot's window falls.
     */
    static final RateLimit SEARCH_RATE = new RateLimit(4.0, 1);

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH, Ability.BATCH_WRITE), Set.of(Ability.READ_CHANGES));

    private final SharedRateLimiter limiter;
    public HubSpotSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
        // the pace of the search API, which every replica shares, as the rate limit of any REST system
        this.limiter = connections.limiter();
    }

    /** Its token, and every property the mappings name in its object's definitions ({@link HubSpotCheck}). */
    @Override
    protected RestSystemCheck.Probe probe() {
        return new HubSpotCheck(client());
    }

    /**
     * Pages of at most 100 records, whatever the job asks, with the properties the mapping reads
     * (HubSpot would answer its default ones only), each record read flat ({@link #read}).
     */
    @Override
    public RecordPuller puller() {
        RecordPuller flat = super.puller();
        return (request, sink) -> {
            SystemMapping mapping = request.mapping();
            String resource = io.syncline.connector.rest.RestMappingSettings.of(mapping).resource();
            Associations associations = Associations.of(model().model(), request.entity(), mapping, resource);
            URI asked = withAssociations(withProperties(URI.create(resource), properties(mapping)), associations);
            SystemMapping asking = asked.toString().equals(resource) ? mapping : mapping.with("resource", asked.toString());
            return flat.pull(new PullRequest(request.entity(), request.systemName(), request.system(), asking,
                    Math.min(request.pageSize(), BATCH_LIMIT), request.keys(), request.changes(), request.after()),
                    page -> sink.accept(page.stream().map(record -> withAssociationsRead(record, associations)).toList()));
        };
    }

    /**
     * HubSpot's record {@code {"id", "properties": {…}, …}} read flat: its properties and its
     * {@code id}, and its {@code associations} as HubSpot gave them (read into ids where the mapping
     * is known, {@link #withAssociationsRead}).
     */
    @Override
    protected Map<String, Object> read(Map<String, Object> record) {
        return flat(record);
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        Associations associations = associations(entity, system);
        URI uri = withAssociations(withProperties(target.item(id), properties(entity, system)), associations);
        HttpResponse<String> response = client().call(target, "GET", uri, null, status -> status == 404 || status == 410);
        if (response.statusCode() / 100 != 2) {
            return Optional.empty();
        }
        return Optional.of(withAssociationsRead(flat(object(target, "GET", response)), associations));
    }

    /** The record's candidates: {@link #searchAll} of it alone. */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        return searchAll(system, List.of(record)).get(0);
    }

    @Override
    public int searchBatchLimit() {
        return BATCH_LIMIT;
    }

    /**
     * The records' candidates: by e-mail, every record's at once through
     * {@code POST …/batch/read} with {@code idProperty: email} (strongly consistent, and not
     * bound by the search API's 5 requests a second), 100 e-mails a call; by any other match
     * rule HubSpot can search (phone, an external id), through {@code POST …/search}, one request
     * a record, paced at {@link #SEARCH_RATE} for all replicas together.
     */
    @Override
    public List<List<MatchCandidate>> searchAll(String system, List<CanonicalRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        String entity = records.get(0).entity();
        CompiledModel model = model();
        RestTarget target = target(entity, system);
        List<List<SearchTerms.Term>> terms = records.stream()
                .map(record -> SearchTerms.of(model, entity, system, record.fields())).toList();
        Map<String, List<Map<String, Object>>> byEmail = readByEmail(target, entity, system,
                terms.stream().flatMap(List::stream).filter(HubSpotSystemType::byEmail).map(SearchTerms.Term::value).toList());
        List<List<MatchCandidate>> found = new ArrayList<>(records.size());
        for (List<SearchTerms.Term> recordTerms : terms) {
            List<Map<String, Object>> rows = new ArrayList<>();
            List<SearchTerms.Term> searched = new ArrayList<>();
            for (SearchTerms.Term term : recordTerms) {
                if (byEmail(term)) {
                    rows.addAll(byEmail.getOrDefault(term.value().toLowerCase(Locale.ROOT), List.of()));
                } else {
                    searched.add(term);
                }
            }
            if (!searched.isEmpty()) {
                rows.addAll(search(target, entity, system, searched));
            }
            found.add(candidates(model, entity, system, rows));
        }
        return found;
    }

    /** Whether HubSpot reads the term's records by {@code idProperty}: e-mail, a contact's unique property. */
    private static boolean byEmail(SearchTerms.Term term) {
        return term.path().equals(EMAIL);
    }

    /**
     * The contacts of these e-mails, read flat, by e-mail (lower case, as HubSpot keeps them):
     * {@code POST …/batch/read} with {@code idProperty: email}, {@value #BATCH_LIMIT} e-mails a call.
     * HubSpot answers 207 naming the e-mails it has no contact of in {@code errors[]}.
     */
    private Map<String, List<Map<String, Object>>> readByEmail(RestTarget target, String entity, String system,
            List<String> emails) {
        List<String> distinct = emails.stream().map(email -> email.toLowerCase(Locale.ROOT)).distinct().toList();
        Map<String, List<Map<String, Object>>> byEmail = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += BATCH_LIMIT) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("properties", properties(entity, system));
            request.put("propertiesWithHistory", List.of());
            request.put("idProperty", EMAIL);
            request.put("inputs", distinct.subList(from, Math.min(from + BATCH_LIMIT, distinct.size())).stream()
                    .map(email -> Map.of("id", email)).toList());
            HttpResponse<String> response = client().call(target, "POST", URI.create(target.collection() + "/batch/read"), request,
                    status -> status == 207);
            for (Map<String, Object> row : results(object(target, "POST batch/read", response))) {
                Object email = row.get(EMAIL);
                if (email != null) {
                    byEmail.computeIfAbsent(email.toString().toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(row);
                }
            }
        }
        return byEmail;
    }

    /**
     * The contacts any of the terms finds, read flat: {@code POST …/search} with one filter group
     * per term ({@code email EQ …}), which HubSpot ORs; the first page, of up to 100.
     */
    private List<Map<String, Object>> search(RestTarget target, String entity, String system, List<SearchTerms.Term> terms) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("filterGroups", filterGroups(terms));
        request.put("properties", properties(entity, system));
        request.put("sorts", List.of());
        request.put("limit", BATCH_LIMIT);
        request.put("after", "0");
        URI uri = URI.create(target.collection() + "/search");
        limiter.acquire(system + " search", SEARCH_RATE, "POST " + uri.getRawPath());
        return results(object(target, "POST search", client().call(target, "POST", uri, request, status -> false)));
    }

    /** The records of an answer's {@code results[]}, read flat. */
    private static List<Map<String, Object>> results(Map<String, Object> answer) {
        return records(answer.get("results")).stream().map(HubSpotSystemType::flat).toList();
    }

    /** Flat records as match candidates, each record once. */
    private static List<MatchCandidate> candidates(CompiledModel model, String entity, String system, List<Map<String, Object>> rows) {
        Map<String, MatchCandidate> candidates = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String id = String.valueOf(row.get("id"));
            candidates.computeIfAbsent(id, key -> new MatchCandidate(key,
                    model.transformer().toCanonicalUnhashed(entity, system, row).fields()));
        }
        return new ArrayList<>(candidates.values());
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        HttpResponse<String> response = client().call(target, "POST", target.collection(),
                forCreate(target, row, associations(entity, system)), status -> false);
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
        updated(entity, system, id, row);
    }

    /**
     * {@link #update}: the properties by {@code PATCH}, then the associations the mapping writes
     * through the v4 associations API ({@link AssociationWrites}); @return what changed of the associations
     */
    List<String> updated(String entity, String system, String id, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        client().call(target, "PATCH", target.item(id), Map.of("properties", properties(target, row)), status -> false);
        Associations associations = associations(entity, system);
        if (!associations.any()) {
            return List.of();
        }
        return new AssociationWrites(client(), target, (call, response) -> answer(target, call, response))
                .write(associations, id, row);
    }

    /** The associations the mapping of {@code entity} for {@code system} reads and writes. */
    Associations associations(String entity, String system) {
        SystemMapping mapping = Mappings.of(model().model(), entity, system);
        return Associations.of(model().model(), entity, mapping, target(entity, system).resource());
    }

    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new HubSpotTargetStages(this, context);
    }

    /**
     * One {@code POST …/batch/create} or {@code …/batch/update} of these inputs: HubSpot's answer,
     * record by record (200, or 207 with the records it refused).
     */
    BatchAnswer batch(RestTarget target, String operation, List<Map<String, Object>> inputs) {
        HttpResponse<String> response = client().call(target, "POST", URI.create(target.collection() + "/batch/" + operation),
                Map.of("inputs", inputs), status -> false);
        return BatchAnswer.of(object(target, "POST batch/" + operation, response), response.statusCode());
    }

    /** A create's input: the properties, and the {@code associations} the row names (none where the mapping has none). */
    static Map<String, Object> forCreate(RestTarget target, Map<String, Object> row, Associations associations) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("properties", properties(target, row));
        input.put(Associations.MEMBER, associations.forCreate(row));
        return input;
    }

    /**
     * A mapped record's properties as HubSpot takes them: every member but the record's id and its
     * associations, each value a string (a number or a boolean as written, nothing as the empty
     * string, which clears it).
     */
    static Map<String, String> properties(RestTarget target, Map<String, Object> row) {
        Map<String, String> properties = new LinkedHashMap<>();
        row.forEach((name, value) -> {
            if (!name.equals(target.keyPath()) && !name.equals(Associations.MEMBER)) {
                properties.put(name, value == null ? "" : value instanceof Map || value instanceof List
                        ? String.valueOf(value) : value.toString());
            }
        });
        return properties;
    }

    private static Map<String, Object> flat(Map<String, Object> record) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (record.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, value) -> flat.put(String.valueOf(name), value));
        }
        flat.put("id", record.get("id"));
        if (record.get(Associations.MEMBER) != null) {
            flat.put(Associations.MEMBER, record.get(Associations.MEMBER));
        }
        return flat;
    }

    /** A flat record with its associations read into the ids the mapping reads ({@link Associations#read}). */
    private static Map<String, Object> withAssociationsRead(Map<String, Object> record, Associations associations) {
        if (!associations.any()) {
            return record;
        }
        Map<String, Object> read = new LinkedHashMap<>(record);
        read.put(Associations.MEMBER, associations.read(record));
        return read;
    }

    /** The read asks for the record's associations to the objects the mapping reads ({@code associations=companies}). */
    private static URI withAssociations(URI uri, Associations associations) {
        if (!associations.any()) {
            return uri;
        }
        return URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "associations="
                + URLEncoder.encode(associations.query(), StandardCharsets.UTF_8));
    }

    // --- plumbing -------------------------------------------------------------------------------

    /** The properties the mapping reads, asked for by name where HubSpot would answer its default ones. */
    private List<String> properties(String entity, String system) {
        return properties(Mappings.of(model().model(), entity, system));
    }

    private static List<String> properties(SystemMapping mapping) {
        return mapping.fields().stream().map(FieldMapping::path)
                .filter(path -> path != null && !path.contains(".") && !path.equals(mapping.key())).distinct().toList();
    }

    /** One filter group for each term ({@code phone EQ …}): HubSpot ORs the groups. */
    private static List<Map<String, Object>> filterGroups(List<SearchTerms.Term> terms) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (SearchTerms.Term term : terms) {
            Map<String, Object> filter = new LinkedHashMap<>();
            filter.put("propertyName", term.path());
            filter.put("operator", "EQ");
            filter.put("value", term.value());
            groups.add(Map.of("filters", List.of(filter)));
        }
        return groups;
    }

    private static URI withProperties(URI uri, List<String> properties) {
        if (properties.isEmpty()) {
            return uri;
        }
        List<String> encoded = properties.stream().map(name -> URLEncoder.encode(name, StandardCharsets.UTF_8)).toList();
        return URI.create(uri + "?properties=" + String.join(",", encoded));
    }

    /** An answer's body as a JSON object, a refusal naming the request where it is none. */
    private Map<String, Object> object(RestTarget target, String request, HttpResponse<String> response) {
        return answer(target, request + " " + target.resource(), response);
    }
}
