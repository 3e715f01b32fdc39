package io.syncline.connector.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Erasure;
import io.syncline.connector.spi.MissingAbilityException;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.connector.spi.TargetStages;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldPaths;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.ChangeFilter;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.webhook.SystemWebhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The plug-in of a preset whose provider the REST code serves: it has {@code rest}'s abilities,
 * rules and webhooks, and every call goes through the {@code rest} type (the system's auth,
 * throttle, envelopes and failure classes); a preset declares only what its provider does
 * differently. Records are read through {@link #read} and written through {@link #write}, and a
 * search asks the provider's search API once per {@link SearchTerms term} ({@link #searchUri}), or
 * for several terms ORed where it takes them ({@link #searchTermsLimit}, which also looks an inbox
 * batch's new records up together), each answer's records ({@link #found}) candidates for the
 * matcher; a provider with a batch call says so ({@link #batchLimit}, {@link #batch}) and a
 * batch's records go through it ({@link PresetBatchStages}). A provider whose calls differ beyond
 * that (HubSpot's properties, QuickBooks' query language) overrides those calls and keeps the rest.
 */
public abstract class RestPresetType extends SystemTypeSupport {

    private final SyncModelRegistry registry;
    private final RestSystemType rest;
    private final HttpTargetClient client;
    private final ObjectMapper json;

    protected RestPresetType(String name, Set<Ability> abilities, SyncModelRegistry registry, RestSystemType rest, ObjectMapper json,
            RestConnections connections) {
        super(name, abilities, RestSystemType.RULES);
        this.registry = registry;
        this.rest = rest;
        this.json = json;
        this.client = connections.client();
    }

    @Override
    public Optional<SystemWebhook> webhook(String system, SystemDefinition definition) {
        return RestWebhooks.of(definition);
    }

    /** One authenticated call, then what the preset's {@link #probe()} adds ({@link RestSystemCheck}). */
    @Override
    public List<SystemCheck> check(String system, SyncModel model, Duration timeout) {
        return RestSystemCheck.check(system, model, client, probe());
    }

    /** What the preset checks beyond the REST system's check: the objects and fields its API can describe; nothing by default. */
    protected RestSystemCheck.Probe probe() {
        return new RestSystemCheck.Probe() {
        };
    }

    /** Where a page or a search's answer lists the object's records ({@code users}, {@code Contacts}); null where the preset names none. */
    protected static String itemsOf(CompiledModel model, String entity, String system) {
        RestSettings definition = RestSettings.of(model.model().systems().get(system));
        return definition.objectOf(RestMappingSettings.of(model.model().entities().get(entity).mappings().get(system)).resource()).items();
    }

    /**
     * The search request of one term; null when the provider cannot search by it, as by default: a
     * preset whose search is no request by URI overrides {@link #search} instead.
     */
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        return null;
    }

    /**
     * Most terms one search request ORs ({@link #searchUri(CompiledModel, String, String, RestTarget, List)});
     * 1, the default, where the provider's search takes one term a request. Above 1, an inbox
     * batch's new records are looked up together, that many terms a request ({@link #searchAll}).
     */
    protected int searchTermsLimit() {
        return 1;
    }

    /** The search request of several terms, ORed (at most {@link #searchTermsLimit}); by default one term's. */
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, List<SearchTerms.Term> terms) {
        return terms.size() == 1 ? searchUri(model, entity, system, target, terms.get(0)) : null;
    }

    @Override
    public int searchBatchLimit() {
        return searchTermsLimit() > 1 ? searchTermsLimit() : 0;
    }

    /** The records of a search's answer, in the system's shape: by default those under the object's list member ({@code customers}). */
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        return records(answer.get(itemsOf(model, entity, system)));
    }

    /** Most records the provider's batch call takes; 0, the default, where it has none (each record is written alone). */
    protected int batchLimit() {
        return 0;
    }

    /** A batch call of the provider: its method, its address, and its name in the audit ({@code PUT Contacts?summarizeErrors=false}). */
    public record BatchCall(String method, URI uri, String name) {
    }

    /** The batch call that creates records of the mapping's object ({@code creating}), or updates them. */
    protected BatchCall batchCall(RestTarget target, boolean creating) {
        throw new MissingAbilityException(name(), Ability.BATCH_WRITE);
    }

    /** The member a batch lists its records under: the object's list member ({@code users}), which the preset must name. */
    protected String batchItems(String entity, String system) {
        String items = itemsOf(model(), entity, system);
        if (items == null) {
            throw new IllegalStateException("The preset names no list member of " + target(entity, system).resource() + " for its batches");
        }
        return items;
    }

    /**
     * One batch call of records of one entity, all creates or all updates, at most
     * {@link #batchLimit}: the preset's {@link #batchCall} with the records listed under
     * {@link #batchItems} ({@link #batchBody}), then what the provider answered for each, in order
     * ({@link #batchOutcomes}); null where it named none.
     *
     * @param ids each record's id, null for a create
     */
    protected List<RecordOutcome> batch(String entity, String system, List<Map<String, Object>> rows, List<String> ids) {
        RestTarget target = target(entity, system);
        String items = batchItems(entity, system);
        BatchCall call = batchCall(target, ids.get(0) == null);
        HttpResponse<String> response = client.call(target, call.method(), call.uri(), batchBody(target, items, rows, ids), status -> false);
        return batchOutcomes(target, call, items, ids, answer(target, response));
    }

    /**
     * Each record's outcome from the answer to a batch call, in the order the records were sent;
     * null where the answer names none.
     *
     * @param items the member the records were listed under
     * @param ids   each record's id, null for a create
     */
    protected List<RecordOutcome> batchOutcomes(RestTarget target, BatchCall call, String items, List<String> ids,
            Map<String, Object> answer) {
        throw new MissingAbilityException(name(), Ability.BATCH_WRITE);
    }

    /** The record calls' stages; a batch call's where the provider has one ({@link #batchLimit}). */
    @Override
    public TargetStages stages(TargetStages.Context context) {
        return batchLimit() > 0 ? new PresetBatchStages(this, context) : super.stages(context);
    }

    /** A record as the provider gives it, in the shape the mapping reads; itself by default. */
    protected Map<String, Object> read(Map<String, Object> record) {
        return record;
    }

    /**
     * {@code record} with the members of its object {@code nested} ({@code fields}) lifted to the
     * top, followed by all its other members (its ids, its times); {@code record} itself where it has
     * no such object.
     */
    protected static Map<String, Object> lifted(Map<String, Object> record, String nested) {
        return lifted(record, nested, name -> !name.equals(nested));
    }

    /**
     * {@code record} with the members of its object {@code nested} ({@code fields}, {@code attributes})
     * lifted to the top, followed by those of its own members that {@code beside} keeps (its ids);
     * {@code record} itself where it has no such object.
     */
    protected static Map<String, Object> lifted(Map<String, Object> record, String nested, Predicate<String> beside) {
        if (!(record.get(nested) instanceof Map<?, ?> members)) {
            return record;
        }
        Map<String, Object> lifted = new LinkedHashMap<>();
        members.forEach((name, value) -> lifted.put(String.valueOf(name), value));
        record.forEach((name, value) -> {
            if (beside.test(name)) {
                lifted.put(name, value);
            }
        });
        return lifted;
    }

    /**
     * A record of {@code entity} read from {@code system} (a page's, a fetch's), in the shape the
     * mapping reads: {@link #read(Map)}'s by default; a provider whose reads need the mapping's
     * target (a further call for what the record pages inside it) overrides this one.
     */
    protected Map<String, Object> read(String entity, String system, Map<String, Object> record) {
        return read(record);
    }

    /** A mapped record as the provider takes it; itself by default. */
    protected Map<String, Object> write(Map<String, Object> row) {
        return row;
    }

    @Override
    public RecordPuller puller() {
        RecordPuller pages = rest.puller();
        return new RecordPuller() {

            @Override
            public PullResult pull(PullRequest request, PageSink sink) throws PullException {
                return RestPresetType.this.pull(pages, request, page -> sink.accept(page.stream()
                        .map(record -> read(request.entity(), request.systemName(), record)).toList()));
            }

            @Override
            public boolean changesIncludeWatermarkInstant(PullRequest request) {
                return pages.changesIncludeWatermarkInstant(request);
            }
        };
    }

    /**
     * {@code request} for the changes of another of the preset's objects than the mapping's ({@code resource}:
     * its path, list member and pages), under the same filter by modification time: a plug-in that reads a
     * poll's changes out of another object's records (an order's lines).
     */
    protected static PullRequest changesOf(PullRequest request, String resource) {
        ChangeFilter filter = request.changes().filter();
        return new PullRequest(request.entity(), request.systemName(), request.system(), request.mapping().with("resource", resource),
                request.pageSize(), request.keys(), new PullRequest.Changes(request.changes().path(), request.changes().after(),
                        new ChangeFilter(filter.param(), filter.format(), filter.query(), null, filter.sorted(), filter.value())),
                request.after());
    }

    /** Whether {@code request} polls changes whose {@code changes.resource} is {@code resource}. */
    protected static boolean changesAt(PullRequest request, String resource) {
        return request.changes() != null && request.changes().filter() != null
                && resource.equals(request.changes().filter().resource());
    }

    /**
     * A pull of the REST {@code pages}, each page's records read ({@link #read}) on their way to {@code sink}:
     * page by page as the provider lists them by default; a provider whose order a pull cannot use
     * (Harvest's, by a date the changes are not ordered by) overrides this.
     */
    protected PullResult pull(RecordPuller pages, PullRequest request, PageSink sink) throws PullException {
        return pages.pull(request, sink);
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        return rest.fetch(entity, system, id).map(record -> read(entity, system, record));
    }

    /** The record's candidates: whatever a search by any of its terms finds, {@link #searchTermsLimit} terms a request. */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        CompiledModel model = registry.current();
        String entity = record.entity();
        List<MatchCandidate> candidates = new ArrayList<>();
        for (Map<String, Object> found : searched(model, entity, system, SearchTerms.of(model, entity, system, record.fields()))) {
            candidates.add(candidate(model, entity, system, found));
        }
        return candidates;
    }

    /**
     * The records' candidates from requests that OR the terms of them all, {@link #searchTermsLimit}
     * a request: each record's, the records found whose value at one of its terms' paths is that
     * term's (compared as the provider's search compares text, regardless of case).
     */
    @Override
    public List<List<MatchCandidate>> searchAll(String system, List<CanonicalRecord> records) {
        if (records.size() == 1) {
            return List.of(search(system, records.get(0)));
        }
        CompiledModel model = registry.current();
        String entity = records.get(0).entity();
        List<List<SearchTerms.Term>> terms = records.stream()
                .map(record -> SearchTerms.of(model, entity, system, record.fields())).toList();
        List<Map<String, Object>> found = searched(model, entity, system,
                terms.stream().flatMap(List::stream).distinct().toList());
        List<List<MatchCandidate>> candidates = new ArrayList<>(records.size());
        for (List<SearchTerms.Term> recordTerms : terms) {
            List<MatchCandidate> own = new ArrayList<>();
            for (Map<String, Object> record : found) {
                if (recordTerms.stream().anyMatch(term -> term.value().equalsIgnoreCase(
                        String.valueOf(FieldPaths.get(record, term.path()))))) {
                    own.add(candidate(model, entity, system, record));
                }
            }
            candidates.add(own);
        }
        return candidates;
    }

    /** The records the searches by these terms find, read ({@link #read}), each once, by its id. */
    private List<Map<String, Object>> searched(CompiledModel model, String entity, String system, List<SearchTerms.Term> terms) {
        RestTarget target = RestTarget.of(model.model(), entity, system);
        List<SearchTerms.Term> searchable = terms.stream()
                .filter(term -> searchUri(model, entity, system, target, term) != null).toList();
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        int limit = Math.max(1, searchTermsLimit());
        for (int from = 0; from < searchable.size(); from += limit) {
            URI uri = searchUri(model, entity, system, target, searchable.subList(from, Math.min(from + limit, searchable.size())));
            HttpResponse<String> response = client.call(target, "GET", uri, null, status -> false);
            for (Map<String, Object> each : found(model, entity, system, answer(target, response))) {
                Map<String, Object> record = read(each);
                Object id = record.get(target.keyPath());
                if (id != null) {
                    byId.putIfAbsent(id.toString(), record);
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static MatchCandidate candidate(CompiledModel model, String entity, String system, Map<String, Object> record) {
        return new MatchCandidate(String.valueOf(record.get(RestTarget.of(model.model(), entity, system).keyPath())),
                model.transformer().toCanonicalUnhashed(entity, system, record).fields());
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        return rest.create(entity, system, write(row));
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        rest.update(entity, system, id, write(row));
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        return rest.delete(entity, system, id);
    }

    /** By the record calls, where the preset's provider can erase (its {@link #abilities}). */
    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        if (!abilities().contains(Ability.ERASE)) {
            throw new MissingAbilityException(name(), Ability.ERASE);
        }
        return erasure.byRecordCalls(this, registry.current().transformer(), entity, system, id);
    }

    /** The records of a list in an answer: the maps among its elements. */
    protected static List<Map<String, Object>> records(Object list) {
        List<Map<String, Object>> records = new ArrayList<>();
        if (list instanceof List<?> elements) {
            for (Object element : elements) {
                if (element instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> record = (Map<String, Object>) map;
                    records.add(record);
                }
            }
        }
        return records;
    }

    /**
     * The body of a batch call: the records as the provider takes them ({@link #write}) listed under
     * the object's list member ({@code {"Contacts": […]}}), each update with its id at the key's
     * path, no create with one.
     *
     * @param items the object's list member
     * @param ids   each record's id, null for a create
     */
    protected Map<String, Object> batchBody(RestTarget target, String items, List<Map<String, Object>> rows, List<String> ids) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> record = new LinkedHashMap<>(write(rows.get(i)));
            record.remove(target.keyPath());
            if (ids.get(i) != null) {
                record.put(target.keyPath(), ids.get(i));
            }
            records.add(record);
        }
        return Map.of(items, records);
    }

    /** The client every call of the system goes through: its auth, headers and shared rate limit. */
    protected HttpTargetClient client() {
        return client;
    }

    /** The {@code rest} type, whose calls the preset's are unless it says otherwise. */
    protected RestSystemType rest() {
        return rest;
    }

    /** The sync model now in force. */
    protected CompiledModel model() {
        return registry.current();
    }

    /** Where the mapping of {@code entity} in {@code system} writes, in the current model. */
    public RestTarget target(String entity, String system) {
        return RestTarget.of(registry.current().model(), entity, system);
    }

    /** An answer's body as a JSON object; a body that is none is the system's refusal. */
    protected Map<String, Object> answer(RestTarget target, HttpResponse<String> response) {
        return answer(target, "a call of " + target.resource(), response);
    }

    /** An answer's body as a JSON object; a body that is none is the system's refusal, which names the {@code call}. */
    protected Map<String, Object> answer(RestTarget target, String call, HttpResponse<String> response) {
        try {
            Map<String, Object> body = json.readValue(Objects.requireNonNullElse(response.body(), ""), new TypeReference<>() {
            });
            return body == null ? Map.of() : body;
        } catch (IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, call + " answered "
                    + response.statusCode() + " with a body that is not a JSON object: " + e.getMessage());
        }
    }
}
