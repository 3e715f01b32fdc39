package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.spi.ChangeStream;
import io.syncline.connector.spi.Erasure;
import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.connector.spi.TargetStages;
import io.syncline.model.Ability;
import io.syncline.model.CaptureSpec;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.MatchRuleSpec;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * System type {@code salesforce}: an org. Reconciliation reads it page by page with SOQL
 * ({@link SalesforceRecordPuller}, with the component's session through {@link SalesforceSessions});
 * it is written, and its records fetched, through Camel's Salesforce component, one per org
 * ({@link SalesforceComponents}), with raw JSON as the mapping's field contract shapes it
 * ({@link SalesforceClient}). The apply stages ({@link SalesforceTargetStages}) write an event
 * alone by one call and a batch's events by sObject Collections. Every call, by either path, is
 * reserved first against the org's daily budget ({@link SalesforceCallBudget}). A pull above the
 * system's {@code bulkAbove} runs as a Bulk API 2.0 query job through the component
 * ({@link SalesforceBulkQuery}); a write batch of more records of one object than its
 * {@code bulkWriteAbove}, as a Bulk API 2.0 ingest job ({@link SalesforceBulkIngest}).
 *
 * <p>A mapping names its object ({@code sobject}) and its key: Salesforce's record id
 * ({@code key: Id}) or an external id field ({@code key: Syncline_Id__c}), by which a record is then
 * fetched ({@code /sobjects/Contact/Syncline_Id__c/K005042}); where the entity matches by an
 * external id ({@code match: [{externalId: {field: …}}]}) and the mapping maps that field, a new
 * record is upserted by it.
 */
@ApplicationScoped
public class SalesforceSystemType extends SystemTypeSupport {

    public static final Set<Ability> ABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.READ_CHANGES, Ability.CAPTURE_CHANGES, Ability.FETCH,
                    Ability.WRITE, Ability.BATCH_WRITE, Ability.ERASE));

    /** What the type checks of its systems, mappings, polls, pulls and captures. */
    public static final SystemTypeRules RULES = SalesforceRules.RULES;

    /** How long a Bulk API 2.0 query job may take, and the pauses between polls of its state. */
    static final Duration BULK_FIRST_PAUSE = Duration.ofSeconds(2);
    static final Duration BULK_LONGEST_PAUSE = Duration.ofSeconds(30);
    static final Duration BULK_LONGEST_WAIT = Duration.ofMinutes(30);

    /** The pauses between polls of an ingest job's state. */
    static final Duration INGEST_FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration INGEST_LONGEST_PAUSE = Duration.ofSeconds(10);

    private final SyncModelRegistry registry;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final SalesforceCallBudget budget;
    private final HttpClient http;
    private volatile SalesforceClient client;
    private SalesforceComponents components;
    private volatile SalesforceRecordPuller puller;
    private volatile SalesforceBulkIngest ingest;
    private final Duration ingestWait;

    public SalesforceSystemType(SynclineConfig config, ObjectMapper json, SyncModelRegistry registry, CamelContext camel,
            SalesforceCallBudget budget) {
        super(SalesforceSettings.TYPE, ABILITIES, RULES);
        this.registry = registry;
        this.camel = camel;
        this.json = json;
        this.budget = budget;
        this.http = HttpClient.newBuilder().connectTimeout(config.http().connectTimeout()).build();
        this.ingestWait = ingestWait(config.inbox().lease());
    }

    /**
     * How long an ingest job may run: within the lease of the inbox events it writes, with room to
     * read its results and commit, so that no other worker claims them meanwhile.
     */
    static Duration ingestWait(Duration lease) {
        Duration wait = lease.minusSeconds(15);
        return wait.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : wait;
    }

    @Override
    public Optional<io.syncline.connector.spi.SystemHealth> health() {
        return Optional.of(SalesforceHealth.of(budget));
    }

    @Override
    public RecordPuller puller() {
        SalesforceRecordPuller made = puller;
        if (made == null) {
            synchronized (this) {
                if (puller == null) {
                    // the component's session: a pull logs in once with the org's writes
                    puller = new SalesforceRecordPuller(http, json, new SalesforceSessions(components()),
                            new SalesforceBulkQuery(client(), BULK_FIRST_PAUSE,
                                    BULK_LONGEST_PAUSE, BULK_LONGEST_WAIT));
                }
                made = puller;
            }
        }
        return made;
    }

    /** Its session, its objects' describes and its captures' Change Data Capture selection ({@link SalesforceCheck}). */
    @Override
    public List<io.syncline.connector.spi.SystemCheck> check(String system, SyncModel model, Duration timeout) {
        return new SalesforceCheck(client()).check(system, model);
    }

    /** Change Data Capture: the entity's channel in the org, read by Camel's Streaming API consumer. */
    @Override
    public Optional<ChangeStream> changeStream() {
        return Optional.of(new SalesforceChangeStream(this));
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) throws Exception {
        SyncModel model = registry.current().model();
        SystemMapping mapping = Mappings.of(model, entity, system);
        List<FieldMapping> byExternalId = mapping.fields().stream()
                .filter(field -> field.externalId() != null && field.direction().reads()).toList();
        // the key too: a record read without it has no id to be linked by; a relationship by its lookup's Id
        List<String> fields = java.util.stream.Stream.of(java.util.stream.Stream.of(mapping.key()),
                mapping.fields().stream().filter(field -> !byExternalId.contains(field)).map(FieldMapping::path),
                byExternalId.stream().map(field -> lookupField(field.path())))
                .flatMap(each -> each)
                .filter(path -> path != null && !path.contains(".")).distinct().toList();
        try {
            // a key other than Salesforce's record Id is an external id field: fetched by it, not as an Id
            Optional<Map<String, Object>> record = client().fetchByKey(target(entity, system), mapping.key(), id, fields);
            if (record.isPresent()) {
                for (FieldMapping field : byExternalId) {
                    record.get().put(field.path(), parentByExternalId(model, entity, system, field, record.get()));
                }
            }
            return record;
        } catch (SalesforceCallException e) {
            throw SalesforceFailures.of(system, e);
        }
    }

    /**
     * The relationship {@code field} names as the query reads it, {@code {"Ext_Id__c": …}}: the sObject
     * Rows resource gives a record's own fields only, so its lookup's Id is read with it and the
     * parent's external id field read from the parent by that Id; null where the lookup names no record.
     */
    private Map<String, Object> parentByExternalId(SyncModel model, String entity, String system, FieldMapping field,
            Map<String, Object> record) throws SalesforceCallException {
        String lookup = lookupField(field.path());
        Object parentId = record.entrySet().stream().filter(each -> each.getKey().equalsIgnoreCase(lookup))
                .map(Map.Entry::getValue).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (!mapsItself(model, entity, system, lookup)) {
            record.keySet().removeIf(each -> each.equalsIgnoreCase(lookup));
        }
        if (parentId == null) {
            return null;
        }
        String parent = model.entities().get(entity).fields().get(field.field()).ref();
        Object value = client().fetch(target(parent, system), parentId.toString(), List.of(field.externalId()))
                .flatMap(found -> found.entrySet().stream().filter(each -> each.getKey().equalsIgnoreCase(field.externalId()))
                        .map(Map.Entry::getValue).filter(java.util.Objects::nonNull).findFirst())
                .orElse(null);
        Map<String, Object> related = new LinkedHashMap<>();
        related.put(field.externalId(), value);
        return value == null ? null : related;
    }

    private static boolean mapsItself(SyncModel model, String entity, String system, String path) {
        return Mappings.of(model, entity, system).fields().stream().anyMatch(field -> path.equalsIgnoreCase(field.path()));
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) throws Exception {
        try {
            return client().create(target(entity, system), body(entity, system, row, null)).id();
        } catch (SalesforceCallException e) {
            throw SalesforceFailures.of(system, e);
        }
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) throws Exception {
        try {
            client().update(target(entity, system), id, body(entity, system, row, null));
        } catch (SalesforceCallException e) {
            throw SalesforceFailures.of(system, e);
        }
    }

    @Override
    public boolean delete(String entity, String system, String id) throws Exception {
        try {
            return client().delete(target(entity, system), id);
        } catch (SalesforceCallException e) {
            throw SalesforceFailures.of(system, e);
        }
    }

    /** A privacy request's erasure: the record deleted, or its erased fields set to null by an update. */
    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        return erasure.byRecordCalls(this, registry.current().transformer(), entity, system, id);
    }

    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new SalesforceTargetStages(this, context);
    }

    SalesforceClient client() {
        SalesforceClient made = client;
        if (made == null) {
            synchronized (this) {
                if (client == null) {
                    ProducerTemplate producer = camel.createProducerTemplate();
                    client = new SalesforceClient(producer, components(), json, budget);
                }
                made = client;
            }
        }
        return made;
    }

    /** The orgs' components: one login and session per org, for every call. */
    private synchronized SalesforceComponents components() {
        if (components == null) {
            components = new SalesforceComponents(camel, new ConfigEnvironment(), budget);
        }
        return components;
    }

    /** Bulk API 2.0 ingest jobs, for write batches above a system's {@code bulkWriteAbove}. */
    SalesforceBulkIngest ingest() {
        SalesforceBulkIngest made = ingest;
        if (made == null) {
            synchronized (this) {
                if (ingest == null) {
                    ingest = new SalesforceBulkIngest(client(), INGEST_FIRST_PAUSE, INGEST_LONGEST_PAUSE, ingestWait);
                }
                made = ingest;
            }
        }
        return made;
    }

    /** The org and object of {@code entity} in {@code system}, as the model declares them. */
    SalesforceClient.Target target(String entity, String system) {
        SyncModel model = registry.current().model();
        if (!SalesforceSettings.isOf(model.systems().get(system))) {
            throw new IllegalArgumentException("System '" + system + "' is not a Salesforce system; the model declares "
                    + model.systems().keySet());
        }
        SalesforceSettings settings = SalesforceSettings.of(model.systems().get(system));
        SystemMapping mapping = Mappings.of(model, entity, system);
        String sobject = SalesforceMappingSettings.of(mapping).sobject();
        if (sobject == null) {
            throw new IllegalArgumentException("entities." + entity + ".mappings." + system
                    + " has no sobject: add sobject: Contact (the object's API name) to write " + entity + " to " + system);
        }
        return new SalesforceClient.Target(system, settings, sobject);
    }

    SyncModel registryModel() {
        return registry.current().model();
    }

    CamelContext camel() {
        return camel;
    }

    /** The entity's capture from {@code system}, as the model declares it. */
    CaptureSpec capture(String entity, String system) {
        CaptureSpec capture = registry.current().model().entities().get(entity).captures().get(system);
        return capture == null ? CaptureSpec.DEFAULTS : capture;
    }

    /**
     * The Salesforce field a new record of {@code entity} is upserted by: the path the mapping gives
     * the field of the entity's {@code externalId} match rule; null when it has none.
     */
    String externalIdField(String entity, String system) {
        return externalIdField(registry.current().model(), entity, system);
    }

    /** The field a new record of the entity is upserted by in {@code model}, null where it is created. */
    static String externalIdField(SyncModel model, String entity, String system) {
        EntityDefinition definition = model.entities().get(entity);
        SystemMapping mapping = Mappings.of(model, entity, system);
        for (MatchRuleSpec rule : definition.match()) {
            if ("externalId".equals(rule.rule()) && rule.field() != null) {
                Optional<String> path = mapping.pathOf(rule.field());
                if (path.isPresent() && !path.get().contains(".")) {
                    return path.get();
                }
            }
        }
        return null;
    }

    /**
     * A row as Salesforce takes it in a write's body: without {@code Id} (the record's id goes in
     * the URL or the record's attributes), relationship paths (read only through their parent) and
     * {@code without} (an upsert's external id, which is in the URL). A reference the mapping writes
     * by the parent's external id ({@code externalId}) stays a relationship, {@code "Account":
     * {"Ext_Id__c": "acme-42"}}; one without a parent empties the lookup field instead
     * ({@code AccountId}, {@code Company__c} for {@code Company__r}), since a relationship cannot
     * name no record.
     */
    Map<String, Object> body(String entity, String system, Map<String, Object> row, String without) {
        Set<String> relationships = relationships(entity, system);
        Map<String, Object> body = new LinkedHashMap<>();
        row.forEach((field, value) -> {
            if (field.equals("Id") || field.equals("attributes") || field.equals(without)) {
                return;
            }
            if (!(value instanceof Map<?, ?> related)) {
                body.put(field, value);
            } else if (relationships.contains(field)) {
                if (related.values().stream().anyMatch(java.util.Objects::nonNull)) {
                    body.put(field, value);
                } else {
                    body.put(lookupField(field), null);
                }
            }
        });
        return body;
    }

    /** The relationships the entity's mapping writes by a parent's external id ({@code Account}). */
    Set<String> relationships(String entity, String system) {
        Set<String> relationships = new java.util.HashSet<>();
        for (FieldMapping field : Mappings.of(registry.current().model(), entity, system).fields()) {
            if (field.externalId() != null && field.direction().writes()) {
                relationships.add(field.path());
            }
        }
        return relationships;
    }

    /** The lookup field of a relationship: {@code AccountId} for {@code Account}, {@code Company__c} for {@code Company__r}. */
    static String lookupField(String relationship) {
        return relationship.endsWith("__r") ? relationship.substring(0, relationship.length() - 1) + "c" : relationship + "Id";
    }
}
