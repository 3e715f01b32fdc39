package io.syncline.connector.quickbooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSettings;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.connector.spi.TargetStages;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * System type {@code quickbooks}: QuickBooks Online's Accounting API (v3). The preset
 * ({@code presets/quickbooks.yaml}) fixes what Intuit fixes for every company (base URL, the OAuth
 * 2.0 authorization-code grant and Intuit's endpoints, the rate limit, the {@code intuit-signature}
 * webhook and its thin entity events, where a company's entities live); this plug-in adds what the
 * REST code cannot say as data:
 * <ul>
 *   <li>the record envelope: a mapping names the entity as QuickBooks does ({@code resource: Customer})
 *       and its fields as they are within it ({@code PrimaryEmailAddr.Address}); QuickBooks wraps each
 *       record in a member named for its entity ({@code {"Customer": {…}}}), written and read here;
 *       the entity's path is its name in lower case ({@code …/customer}), every call carrying the
 *       preset's {@code minorversion};</li>
 *   <li>the concurrency token: an update is a sparse {@code POST} carrying the record's current
 *       {@code SyncToken}, read just before; a Stale Object Error (code 5010: someone changed the
 *       record in between) is mended by reading it again, a few times, then left to the inbox's retry;</li>
 *   <li>reads through the query language: pulls page with {@code STARTPOSITION}/{@code MAXRESULTS}
 *       (1000 at most) to the end, and matching searches by each of the entity's match rules
 *       ({@code select * from Customer where PrimaryEmailAddr = '…'}; QuickBooks has no OR);</li>
 *   <li>the error body: QuickBooks' {@code Fault} ({@link QuickBooksFault}), whose detail a dead letter keeps;</li>
 *   <li>a transaction's lines as written: the subtotal line QuickBooks adds to every read is left
 *       out ({@link QuickBooksLines});</li>
 *   <li>deletes: a customer (any name) cannot be deleted in QuickBooks, only made inactive
 *       ({@code Active: false}); a transaction (an invoice) is deleted by {@code POST …/invoice?operation=delete}
 *       with its {@code Id} and {@code SyncToken};</li>
 *   <li>batches: a batch's creates and updates go to the batch operation ({@code POST …/batch}),
 *       {@value #BATCH_LIMIT} items a request, each update with the SyncToken one query read for the
 *       whole request ({@link #batch}, {@link QuickBooksTargetStages});</li>
 *   <li>idempotent writes: a create, an update and a batch request of an inbox event carry a
 *       {@code requestid} derived from the event ({@link QuickBooksRequestId}), so that one sent
 *       again after a lost answer is answered as the first was instead of applied twice.</li>
 * </ul>
 */
@Singleton // not proxied: its base class takes its collaborators in its constructor
public class QuickBooksSystemType extends RestPresetType {

    public static final String NAME = "quickbooks";

    /** Most records a query answers. */
    static final int PAGE_LIMIT = 1000;
    /** How often an update reads the record again after a Stale Object Error before the inbox tries later. */
    static final int STALE_READS = 3;
    /** The setting with the API's minor version, sent with every call. */
    static final String MINOR_VERSION = "minorversion";
    /**
     * Most items a batch request carries: Intuit's batch operation page allows 10 payloads a batch
     * (its older blog posts name up to 30); 40 batch requests a minute a company.
     */
    static final int BATCH_LIMIT = 10;

    /**
     * Intuit's name lists among the entities a mapping may name: records QuickBooks never deletes,
     * only makes inactive ({@code Active: false}); any other entity is a transaction, deleted.
     */
    static final Set<String> NAMES = Set.of("Account", "Class", "Customer", "Department", "Employee", "Item", "PaymentMethod",
            "TaxAgency", "TaxCode", "Term", "Vendor");

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH, Ability.BATCH_WRITE), Set.of(Ability.READ_CHANGES, Ability.ERASE));

    private final ObjectMapper json;

    public QuickBooksSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
        this.json = json;
    }

    /** A REST system's rules, a pull needing no pagination of the preset's (the plug-in pages the query). */
    public static final SystemTypeRules RULES = QuickBooksRules.RULES;

    @Override
    public SystemTypeRules rules() {
        return RULES;
    }

    /** Every record of the entity, {@code select * from <Entity> STARTPOSITION n MAXRESULTS m}, until a page comes back short. */
    @Override
    public RecordPuller puller() {
        return (request, sink) -> {
            if (request.keys() != null || request.changes() != null) {
                throw new PullException(request.systemName() + ": QuickBooks is pulled whole, not by key nor by change");
            }
            Entity entity = entity(request);
            int size = Math.min(Math.max(1, request.pageSize()), PAGE_LIMIT);
            long pages = 0;
            long records = 0;
            for (long start = 1;; start += size) {
                List<Map<String, Object>> page;
                try {
                    page = query(entity, "select * from " + entity.name() + " STARTPOSITION " + start + " MAXRESULTS " + size);
                } catch (RuntimeException e) {
                    throw new PullException(request.systemName() + ": " + e.getMessage(), e);
                }
                pages++;
                records += page.size();
                try {
                    sink.accept(page);
                } catch (Exception e) {
                    throw new PullException(request.systemName() + ": staging a page failed: " + e.getMessage(), e);
                }
                if (page.size() < size) {
                    return PullResult.complete(pages, records, null);
                }
            }
        };
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        return read(entity(entity, system), id);
    }

    /**
     * The records that have the value of any of the entity's match rules: one query a rule, as
     * QuickBooks' query language has no OR, by the rule's field's top-level property
     * ({@code PrimaryEmailAddr.Address} is asked for as {@code PrimaryEmailAddr}).
     */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        Entity entity = entity(record.entity(), system);
        CompiledModel model = model();
        Map<String, MatchCandidate> found = new LinkedHashMap<>();
        for (SearchTerms.Term term : SearchTerms.nested(model, record.entity(), system, record.fields())) {
            String property = term.path().split("\\.", 2)[0];
            for (Map<String, Object> row : query(entity, "select * from " + entity.name() + " where " + property + " = "
                    + QuickBooksQuery.literal(term.value()))) {
                String id = String.valueOf(row.get("Id"));
                found.putIfAbsent(id, new MatchCandidate(id, model.transformer().toCanonicalUnhashed(record.entity(), system, row)
                        .fields()));
            }
        }
        return List.copyOf(found.values());
    }

    /** {@code POST …/<entity>} with the record; its new {@code Id} from the answer's envelope. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        return create(entity, system, row, null);
    }

    /**
     * {@code POST …/<entity>?requestid=…} with the record: sent again for the same event, QuickBooks
     * answers with the record the first request made ({@link QuickBooksRequestId}); without an
     * event, no requestid.
     */
    String create(String entity, String system, Map<String, Object> row, QuickBooksRequestId event) {
        Entity target = entity(entity, system);
        Map<String, Object> body = new LinkedHashMap<>(row);
        body.remove(target.target().keyPath());
        Map<String, Object> created = write(target, "POST " + target.path(), body, event == null ? null : event.create());
        Object id = created.get("Id");
        if (id == null) {
            throw new TargetRejectedException(system, 200, null, system + " answered POST " + target.path()
                    + " without the new " + target.name() + "'s Id; it was probably created: check " + system + " before replaying");
        }
        return id.toString();
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        updateWithToken(entity, system, id, row, null);
    }

    /**
     * Makes a name (a customer, vendor, item) inactive, as QuickBooks deletes none of them; deletes a
     * transaction (an invoice) by QuickBooks' delete operation. False when it has none, or the name
     * is inactive already.
     */
    @Override
    public boolean delete(String entity, String system, String id) {
        Entity target = entity(entity, system);
        if (!NAMES.contains(target.name())) {
            return send(target, id, "operation=delete", Map.of(), null).isPresent();
        }
        Optional<Map<String, Object>> current = read(target, id);
        if (current.isEmpty() || Boolean.FALSE.equals(current.get().get("Active"))) {
            return false;
        }
        updateWithToken(entity, system, id, Map.of("Active", false), null);
        return true;
    }

    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new QuickBooksTargetStages(this, context);
    }

    /**
     * A sparse update carrying the record's current {@code SyncToken}, read just before; after a
     * Stale Object Error read again and sent again, at most {@value #STALE_READS} reads, then the
     * inbox tries later. Each send carries the requestid of {@code event}'s update with the token it
     * sends (none without an event).
     *
     * @return the SyncToken the update was accepted with, and how many reads it took
     */
    Updated updateWithToken(String entity, String system, String id, Map<String, Object> row, QuickBooksRequestId event) {
        Entity target = entity(entity, system);
        Map<String, Object> body = new LinkedHashMap<>(row);
        body.remove(target.target().keyPath());
        body.put("sparse", true);
        return send(target, id, null, body, event).orElseThrow(() -> new TargetRejectedException(system, 400, null,
                system + " has no " + target.name() + " " + id + " to update (" + QuickBooksFault.OBJECT_NOT_FOUND
                        + " Object Not Found): it was made inactive or never existed"));
    }

    /**
     * {@code POST …/<entity>[?operation]} with {@code body}, the record's {@code Id} and its current
     * {@code SyncToken}, read just before; after a Stale Object Error read again and sent again, at
     * most {@value #STALE_READS} reads, then the inbox tries later. Empty when QuickBooks has no such
     * record (at the read, or Object Not Found at the write). With {@code event}, each send carries
     * the requestid of its write with the token it sends.
     */
    private Optional<Updated> send(Entity target, String id, String operation, Map<String, Object> body, QuickBooksRequestId event) {
        String system = target.target().system();
        String request = "POST " + target.path() + (operation == null ? "" : "?" + operation);
        for (int reads = 1; reads <= STALE_READS; reads++) {
            Optional<Map<String, Object>> current = read(target, id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Object token = current.get().get("SyncToken");
            Map<String, Object> sent = new LinkedHashMap<>(body);
            sent.put("Id", id);
            sent.put("SyncToken", token);
            String requestId = event == null ? null
                    : event.write(operation == null ? "update" : operation, id, String.valueOf(token));
            HttpResponse<String> response = client().call(target.target(), "POST", target.uri(target.path(), null,
                    parameters(operation, requestId)), sent, status -> status == 400);
            if (response.statusCode() / 100 == 2) {
                return Optional.of(new Updated(String.valueOf(token), reads));
            }
            QuickBooksFault fault = fault(target, request, response);
            if (fault.is(QuickBooksFault.OBJECT_NOT_FOUND)) {
                return Optional.empty();
            }
            if (!fault.is(QuickBooksFault.STALE_OBJECT)) {
                throw fault.rejected(system, request, response.statusCode());
            }
        }
        throw new TargetUnavailableException(system, 400, null, system + " answered a Stale Object Error ("
                + QuickBooksFault.STALE_OBJECT + ") to " + STALE_READS + " writes of " + target.name() + " " + id
                + ", each with the SyncToken just read: the record is being changed; the write is tried again later", null);
    }

    /**
     * One batch request of records of one entity: {@code POST …/batch} with a
     * {@code BatchItemRequest} a record ({@code bId} its place, {@code operation} {@code create} or
     * {@code update}, the record under the entity's name), each update sparse with the
     * {@code SyncToken} read for all of them by one query ({@code select * from Customer where Id in
     * (…)}). QuickBooks answers a {@code BatchItemResponse} an item, by its {@code bId}: the record
     * written, or its {@code Fault}; a Stale Object Error is worth sending again, any other fault
     * is the record's refusal.
     *
     * @param ids each record's id, null for a create
     */
    @Override
    protected List<RecordOutcome> batch(String entity, String system, List<Map<String, Object>> rows, List<String> ids) {
        return batch(entity, system, rows, ids, Collections.nCopies(rows.size(), null));
    }

    /**
     * {@link #batch(String, String, List, List)}, the request carrying a requestid made of its items'
     * (each record's create, or update with the token read) where every record has its event, so
     * that the same request sent again is answered as the first was; its {@code bId}s stay within
     * the 10 characters Intuit allows beside a requestid.
     *
     * @param events each record's event, null where it has none
     */
    List<RecordOutcome> batch(String entity, String system, List<Map<String, Object>> rows, List<String> ids,
            List<QuickBooksRequestId> events) {
        Entity target = entity(entity, system);
        List<String> requestIds = new ArrayList<>();
        Map<String, String> tokens = syncTokens(target, ids.stream().filter(Objects::nonNull).toList());
        List<RecordOutcome> outcomes = new ArrayList<>(Collections.nCopies(rows.size(), null));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String id = ids.get(i);
            Map<String, Object> record = new LinkedHashMap<>(rows.get(i));
            record.remove(target.target().keyPath());
            if (id != null) {
                if (!tokens.containsKey(id)) {
                    outcomes.set(i, RecordOutcome.refused(system + " has no " + target.name() + " " + id + " to update ("
                            + QuickBooksFault.OBJECT_NOT_FOUND + " Object Not Found): it was made inactive or never existed", 400));
                    continue;
                }
                record.put("Id", id);
                record.put("SyncToken", tokens.get(id));
                record.put("sparse", true);
            }
            QuickBooksRequestId event = events.get(i);
            requestIds.add(event == null ? null : id == null ? event.create() : event.write("update", id, tokens.get(id)));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("bId", Integer.toString(i));
            item.put("operation", id == null ? "create" : "update");
            item.put(target.name(), record);
            items.add(item);
        }
        if (items.isEmpty()) {
            return outcomes;
        }
        String path = target.company() + "/batch";
        String requestId = requestIds.contains(null) ? null : QuickBooksRequestId.batch(requestIds);
        HttpResponse<String> response = client().call(target.target(), "POST", target.uri(path, null, parameters(null, requestId)),
                Map.of("BatchItemRequest", items), status -> status == 400);
        if (response.statusCode() == 400) {
            throw fault(target, "POST " + path, response).rejected(system, "POST " + path, 400);
        }
        JsonNode answered = json.valueToTree(answer(target.target(), "POST " + path, response)).path("BatchItemResponse");
        for (JsonNode item : answered) {
            int at = item.path("bId").asText("").matches("\\d+") ? Integer.parseInt(item.path("bId").asText()) : -1;
            if (at < 0 || at >= rows.size()) {
                continue;
            }
            Optional<QuickBooksFault> fault = QuickBooksFault.of(item.path("Fault"));
            if (fault.isPresent()) {
                outcomes.set(at, fault.get().is(QuickBooksFault.STALE_OBJECT)
                        ? RecordOutcome.retry(fault.get().reason(), 400) : RecordOutcome.refused(fault.get().reason(), 400));
            } else if (item.path(target.name()).hasNonNull("Id")) {
                outcomes.set(at, RecordOutcome.written(item.path(target.name()).path("Id").asText(), ids.get(at) == null));
            }
        }
        return outcomes;
    }

    /** The current {@code SyncToken} of each record {@code ids} names that QuickBooks has, by one query. */
    private Map<String, String> syncTokens(Entity entity, List<String> ids) {
        Map<String, String> tokens = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return tokens;
        }
        String in = ids.stream().map(QuickBooksQuery::literal).collect(Collectors.joining(", "));
        for (Map<String, Object> row : query(entity, "select * from " + entity.name() + " where Id in (" + in + ") MAXRESULTS "
                + ids.size())) {
            tokens.put(String.valueOf(row.get("Id")), String.valueOf(row.get("SyncToken")));
        }
        return tokens;
    }

    /** An update accepted with {@code syncToken}, after {@code reads} reads of the record. */
    record Updated(String syncToken, int reads) {
    }

    // --- plumbing -------------------------------------------------------------------------------

    /** A mapping's QuickBooks entity: its name ({@code Customer}) and where the company's API is. */
    record Entity(String name, RestTarget target, String company, String minorVersion) {

        /** The entity's path, its name in lower case: {@code /v3/company/{realmId}/customer}. */
        String path() {
            return company + "/" + name.toLowerCase(Locale.ROOT);
        }

        /** {@code path} under the base URL, with {@code query} (may be null) and the minor version. */
        URI uri(String path, String query) {
            return uri(path, query, null);
        }

        /** {@code path} under the base URL, with {@code query} and {@code operation} (each may be null) and the minor version. */
        URI uri(String path, String query, String operation) {
            String base = target.definition().baseUrl().replaceAll("/+$", "");
            List<String> parameters = new ArrayList<>();
            if (query != null) {
                parameters.add("query=" + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20"));
            }
            if (operation != null) {
                parameters.add(operation);
            }
            if (minorVersion != null) {
                parameters.add(MINOR_VERSION + "=" + URLEncoder.encode(minorVersion, StandardCharsets.UTF_8));
            }
            return URI.create(base + path + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)));
        }
    }

    private Entity entity(String entity, String system) {
        return entity(target(entity, system));
    }

    /** A write's parameters: its {@code operation} and its {@code requestid} (each may be null); null for none. */
    private static String parameters(String operation, String requestId) {
        String requestParameter = requestId == null ? null : "requestid=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8);
        if (operation == null || requestParameter == null) {
            return operation == null ? requestParameter : operation;
        }
        return operation + "&" + requestParameter;
    }

    private static Entity entity(PullRequest request) {
        RestSettings system = RestSettings.of(request.system());
        SystemMapping mapping = request.mapping();
        return entity(new RestTarget(request.systemName(), system, mapping.key(),
                system.resourceOf(io.syncline.connector.rest.RestMappingSettings.of(mapping).resource()),
                io.syncline.connector.rest.RestMappingSettings.of(mapping).writeOrDefault()));
    }

    /** The mapping's resource is the entity's name, placed in the company's path by the preset's {@code objects}. */
    private static Entity entity(RestTarget target) {
        String resource = target.resource();
        int slash = resource.lastIndexOf('/');
        return new Entity(resource.substring(slash + 1), target, resource.substring(0, slash),
                target.definition().settings().get(MINOR_VERSION));
    }

    /** {@code GET …/<entity>/{id}}: the record within its envelope; empty when QuickBooks has none (404, or 400 with 610). */
    private Optional<Map<String, Object>> read(Entity entity, String id) {
        String path = entity.path() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<String> response = client().call(entity.target(), "GET", entity.uri(path, null), null,
                status -> status == 400 || status == 404);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() == 400) {
            QuickBooksFault fault = fault(entity, "GET " + path, response);
            if (fault.is(QuickBooksFault.OBJECT_NOT_FOUND)) {
                return Optional.empty();
            }
            throw fault.rejected(entity.target().system(), "GET " + path, 400);
        }
        return Optional.of(enveloped(entity, "GET " + path, response));
    }

    /** A create's call, with its requestid (may be null): the record in its envelope; a fault is a dead letter with its detail. */
    private Map<String, Object> write(Entity entity, String request, Map<String, Object> body, String requestId) {
        HttpResponse<String> response = client().call(entity.target(), "POST", entity.uri(entity.path(), null,
                parameters(null, requestId)), body, status -> status == 400);
        if (response.statusCode() == 400) {
            throw fault(entity, request, response).rejected(entity.target().system(), request, 400);
        }
        return enveloped(entity, request, response);
    }

    /** {@code GET …/query?query=…}: the records of {@code QueryResponse.<Entity>} (none when absent). */
    private List<Map<String, Object>> query(Entity entity, String query) {
        String path = entity.company() + "/query";
        HttpResponse<String> response = client().call(entity.target(), "GET", entity.uri(path, query), null, status -> status == 400);
        if (response.statusCode() == 400) {
            throw fault(entity, "GET " + path, response).rejected(entity.target().system(), "GET " + path + " (" + query + ")", 400);
        }
        return records(answer(entity.target(), "GET " + path, response).get("QueryResponse") instanceof Map<?, ?> found
                ? found.get(entity.name()) : null).stream().map(QuickBooksLines::asWritten).toList();
    }

    private Map<String, Object> enveloped(Entity entity, String request, HttpResponse<String> response) {
        if (answer(entity.target(), request, response).get(entity.name()) instanceof Map<?, ?> record) {
            return QuickBooksLines.asWritten(cast(record));
        }
        throw new TargetRejectedException(entity.target().system(), response.statusCode(), null, request + " answered "
                + response.statusCode() + " without the " + entity.name() + " member its records come in");
    }

    private QuickBooksFault fault(Entity entity, String request, HttpResponse<String> response) {
        return QuickBooksFault.of(json, response.body()).orElseThrow(() -> new TargetRejectedException(entity.target().system(),
                response.statusCode(), null, entity.target().system() + " rejected " + request + ": " + response.statusCode()
                        + " without a Fault"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
