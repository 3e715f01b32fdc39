package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for a Salesforce org, following the documented REST API contracts:
 * <ul>
 *   <li>{@code POST /services/oauth2/token}: the client credentials, refresh token, username-password
 *   ({@code username}, {@code password}) and JWT bearer ({@code assertion}: an RS256 JWT whose
 *   {@code iss} is the client id, {@code sub} the user, {@code aud} the login URL, signed by the key
 *   of {@link #jwtCertificate}) flows; answers {@code access_token}, {@code instance_url} and
 *   {@code id}, no {@code expires_in}; a refused login gets 400 with {@code {"error", "error_description"}}.
 *   {@code /services/oauth2/revoke} answers 200.</li>
 *   <li>{@code GET /services/data/vXX.X/query?q=SELECT … FROM …}: the fields selected, in batches of
 *   {@code Sforce-Query-Options: batchSize} (200–2,000, default 2,000), {@code totalSize},
 *   {@code done} and {@code nextRecordsUrl} ({@code /services/data/vXX.X/query/<locator>-<offset>});
 *   each record with its {@code attributes}; relationship paths ({@code Account.Name}) as nested
 *   records.</li>
 *   <li>{@code /sobjects/{type}}: POST creates (201 {@code {id, success, errors}}); {@code /sobjects/{type}/{id}}:
 *   GET ({@code ?fields=}), PATCH (204), DELETE (204); 404 {@code NOT_FOUND} for an unknown id;
 *   {@code /sobjects/{type}/{field}/{value}} PATCH upserts by an external id: 201 created, 200
 *   updated ({@code created} false), 300 with the matching records' URLs when several hold the value; GET
 *   answers the one record holding the value (sObject Rows by External ID), 404 {@code NOT_FOUND} when none does.</li>
 *   <li>{@code /composite/sobjects}: POST (create), PATCH (update, each record's {@code Id}),
 *   DELETE ({@code ?ids=…}), and PATCH {@code /composite/sobjects/{type}/{field}} (upsert): up to 200
 *   records, 200 with one SaveResult per record in order ({@code {id, success, errors: [{statusCode,
 *   message, fields}]}}), a record's failure leaving the others written when {@code allOrNone} is
 *   false; more than 200 records: 400 {@code EXCEEDED_ID_LIMIT}.</li>
 *   <li>A write is refused as the org would: {@code REQUIRED_FIELD_MISSING} (the object's
 *   {@link #required} fields), {@code INVALID_FIELD} (a field the object does not have, where its
 *   {@link #fields} are declared), {@code DUPLICATE_VALUE} (a {@link #unique} field's value another
 *   record holds).</li>
 * </ul>
 * {@code GET /sobjects/{type}/describe} describes an object's fields (the {@link #fields declared} ones and
 * those every object has, with {@code externalId} where {@link #externalIds marked}); the Tooling API's
 * {@code /tooling/query} answers {@code PlatformEventChannelMember}, the objects selected for Change Data Capture.
 * Bulk API 2.0 query jobs ({@code /jobs/query}): see {@link #bulkQuery}; ingest jobs
 * ({@code /jobs/ingest}): see {@link #bulkIngest}.
 * Errors of a request as Salesforce sends them, an array of {@code {"message", "errorCode"}}:
 * 401 {@code INVALID_SESSION_ID}, 400 {@code INVALID_FIELD} / {@code INVALID_TYPE} /
 * {@code MALFORMED_QUERY}, 403 {@code REQUEST_LIMIT_EXCEEDED} (the daily allocation spent, {@code TotalRequests
 * Limit exceeded.}, or too many long-running requests at once, {@code ConcurrentPerOrgLongTxn Limit exceeded.}),
 * 503 {@code SERVER_UNAVAILABLE}. {@code GET /limits} answers the org's limits ({@code DailyApiRequests}
 * {@code Max} and {@code Remaining}), also while other requests are refused.
 * Only the SOQL a puller sends is understood: {@code SELECT} a field list {@code FROM} an object,
 * with a {@code WHERE} of comparisons joined by {@code AND}/{@code OR} and an {@code ORDER BY}
 * ({@link SoqlFilter}); a filtered or ordered query reads the records as they were when it began.
 * Objects made {@link #stamped} get {@code SystemModstamp} and {@code LastModifiedDate} at each save.
 * The Streaming API ({@code /cometd/<version>}, {@link SalesforceStreaming}) delivers Change Data
 * Capture events of the objects {@link #changeDataCapture enabled} for it: each save (create, update)
 * and delete, by the API or by a user ({@link #create}, {@link #edit}, {@link #delete}), publishes
 * one on {@code /data/<Object>ChangeEvent}; {@link #publishGap} and {@link #publishOverflow}
 * publish what Salesforce sends when it cannot give a change's fields or its records.
 */
public final class SalesforceStub implements AutoCloseable {

    public static final String CLIENT_ID = "3MVG9stub.client";
    public static final String CLIENT_SECRET = "stub-client-secret";
    public static final String REFRESH_TOKEN = "5Aep861stub.refresh";
    public static final String USERNAME = "integration@stub.example.com";
    /** The integration user's password with its security token appended, as the username-password flow sends it. */
    public static final String PASSWORD = "stub-password" + "STUBSECURITYTOKEN";
    /** Records in one sObject Collections request, at most. */
    public static final int COLLECTION_LIMIT = 200;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields every object has, which the org sets and no API call writes. */
    private static final List<String> SYSTEM_FIELDS = List.of("IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate",
            "LastModifiedById", "SystemModstamp");
    private static final Pattern QUERY = Pattern.compile(
            "(?is)\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(.+?))?\\s*");
    private static final Pattern LOCATOR = Pattern.compile("/services/data/v[0-9.]+/query/(01g\\w+)-(\\d+)");
    private static final Pattern DATA = Pattern.compile("/services/data/(v[0-9.]+)(/.*)");
    private static final Pattern SOBJECT = Pattern.compile("/sobjects/(\\w+)(?:/([^/]+))?(?:/([^/]+))?");
    private static final Pattern INGEST_JOB = Pattern.compile(
            "/jobs/ingest(?:/(750\\w+))?(/batches|/successfulResults|/failedResults|/unprocessedrecords)?/?");
    /** Bytes of CSV one ingest job's upload may hold (Salesforce: 150 MB, base64-encoded). */
    public static final int INGEST_UPLOAD_LIMIT = 150 * 1024 * 1024;
    private static final Pattern BULK_JOB = Pattern.compile("/jobs/query(?:/(750\\w+))?(/results)?/?");
    private static final java.time.format.DateTimeFormatter SALESFORCE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(java.time.ZoneOffset.UTC);
    private static final Pattern COLLECTIONS = Pattern.compile("/composite/sobjects(?:/(\\w+)/(\\w+))?");

    /** The sessions' access tokens the org accepts (by the REST API and the Streaming API alike). */
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final SalesforceStreaming streaming = new SalesforceStreaming(tokens::contains);
    /** The objects enabled for Change Data Capture, by key, to their entity name. */
    private final Map<String, String> captured = new ConcurrentHashMap<>();
    /** Who saves through the API: change events' {@code changeOrigin}. */
    private static final String API_ORIGIN = "com/salesforce/api/rest/62.0;client=" + CLIENT_ID;
    private static final String USER_ORIGIN = "com/salesforce/ui";
    /** Each object's records, by lower-case object name: field API name to value, in the order they were made. */
    private final Map<String, List<Map<String, Object>>> objects = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> declaredFields = new ConcurrentHashMap<>();
    /** The declared fields' API names as the object spells them, by object key, in declaration order. */
    private final Map<String, List<String>> fieldNames = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> externalIdFields = new ConcurrentHashMap<>();
    private final Map<String, List<String>> requiredFields = new ConcurrentHashMap<>();
    private final Map<String, List<String>> uniqueFields = new ConcurrentHashMap<>();
    /** Relationships by object: relationship name (lower case) to its lookup field and the object it names. */
    private final Map<String, Map<String, Relationship>> relationships = new ConcurrentHashMap<>();

    private record Relationship(String lookup, String parent) {
    }

    private final Map<String, List<String>> cursors = new ConcurrentHashMap<>();
    /** The records of a filtered or ordered query's cursor, as they were when it began. */
    private final Map<String, List<Map<String, Object>>> snapshots = new ConcurrentHashMap<>();
    private final Set<String> stampedObjects = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.time.Instant pinnedStamp;
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger apiRequests = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    /** While set, queries (REST and Bulk API) wait for it to open, as an org's long-running queries do. */
    private volatile CountDownLatch queriesHeld;
    /** Queries that began to wait on {@link #queriesHeld}. */
    public final AtomicInteger heldQueries = new AtomicInteger();
    private volatile PublicKey jwtKey;
    /** Grant types of every login, in order. */
    public final List<String> logins = new CopyOnWriteArrayList<>();
    /** SOQL of every query begun, and the batch size each request asked for ({@code Sforce-Query-Options}). */
    public final List<String> queries = new CopyOnWriteArrayList<>();
    public final List<String> batchSizes = new CopyOnWriteArrayList<>();
    /** Every API request ({@code METHOD /path} after the version, e.g. {@code PATCH /composite/sobjects}) and its status, in order. */
    public final List<Call> calls = new CopyOnWriteArrayList<>();
    /** The org's daily API request allocation, as {@code /limits} gives it. */
    public static final int DAILY_API_REQUESTS = 15_000;
    /** Reads of {@code /limits}. */
    public final AtomicInteger limitReads = new AtomicInteger();
    private final AtomicInteger concurrentLimitExceeded = new AtomicInteger();
    private final List<Map<String, Object>> deletedAfterQuery = new CopyOnWriteArrayList<>();
    /** When set, every API request is refused: the org's daily allowance is spent. */
    public volatile boolean requestLimitExceeded;
    /** When set, a query answers its first batch as if it were all: done, no nextRecordsUrl, the full totalSize. */
    public volatile boolean firstBatchOnly;
    /** The org has no Bulk API 2.0 ingest: {@code /jobs/ingest} answers 404 {@code NOT_FOUND}. */
    public volatile boolean ingestJobsUnavailable;

    /** How many polls of a Bulk API 2.0 query job's state answer InProgress before it is JobComplete. */
    public volatile int bulkPollsInProgress;
    /** Records in a page of a query job's results when the request names no maxRecords. */
    public volatile int bulkDefaultPageSize = 50_000;
    /** The maxRecords of each query job results request, as sent ("" when none). */
    public final List<String> bulkMaxRecords = new CopyOnWriteArrayList<>();
    private final Map<String, BulkJob> bulkJobs = new ConcurrentHashMap<>();

    /** How many polls of an ingest job's state answer InProgress before it ends. */
    public volatile int ingestPollsInProgress;
    private volatile String ingestFailure;
    private volatile int ingestFailAfter;
    private final Map<String, IngestJob> ingestJobs = new ConcurrentHashMap<>();

    /** A Bulk API 2.0 ingest job: what it was made with, its uploaded rows, its state and its rows' results. */
    private static final class IngestJob {

        final String id;
        final String object;
        final String operation;
        final String externalIdField;
        final String created;
        volatile String state = "Open";
        volatile String errorMessage;
        volatile int failAfter;
        volatile List<String> columns;
        volatile List<Map<String, String>> rows = List.of();
        final List<Map<String, String>> successful = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> failed = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> unprocessed = new CopyOnWriteArrayList<>();
        final AtomicInteger polls = new AtomicInteger();

        IngestJob(String id, String object, String operation, String externalIdField, String created) {
            this.id = id;
            this.object = object;
            this.operation = operation;
            this.externalIdField = externalIdField;
            this.created = created;
        }
    }

    /** A Bulk API 2.0 query job: its query's object and fields, the records as they were when it was made. */
    private record BulkJob(String id, String operation, String soql, List<String> cursor, List<Map<String, Object>> records,
            String created, AtomicInteger polls) {
    }

    /** An API request: its method, its path after the version ({@code /sobjects/Contact}), its status and how many records it carried. */
    public record Call(String method, String path, int status, int records) {
    }

    public SalesforceStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // long polls of the Streaming API hold a thread each
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.createContext("/services/oauth2/token", exchange -> handle(exchange, this::token));
        server.createContext("/services/oauth2/revoke", exchange -> handle(exchange, this::revoke));
        server.createContext("/services/data/", exchange -> handle(exchange, this::api));
        server.createContext("/cometd/", exchange -> handle(exchange, streaming::handle));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The org's records of an object: field API name to value, a relationship path's value as a nested map. */
    public void records(String sobject, List<Map<String, Object>> records) {
        List<Map<String, Object>> stored = new CopyOnWriteArrayList<>();
        records.forEach(record -> stored.add(new LinkedHashMap<>(record)));
        objects.put(key(sobject), stored);
    }

    /** The object's records as they are now. */
    public List<Map<String, Object>> records(String sobject) {
        List<Map<String, Object>> records = object(sobject);
        return records == null ? List.of() : records.stream().map(record -> Map.copyOf(withoutNulls(record))).toList();
    }

    /** The object's fields: a write naming another is refused with INVALID_FIELD. */
    public void fields(String sobject, String... fields) {
        Set<String> declared = ConcurrentHashMap.newKeySet();
        declared.add("id");
        for (String field : fields) {
            declared.add(field.toLowerCase(Locale.ROOT));
        }
        declaredFields.put(key(sobject), declared);
        fieldNames.put(key(sobject), List.of(fields));
        objects.computeIfAbsent(key(sobject), key -> new CopyOnWriteArrayList<>());
    }

    /** Marks the object's fields External ID (Setup, Object Manager), as its describe then says. */
    public void externalIds(String sobject, String... fields) {
        Set<String> marked = ConcurrentHashMap.newKeySet();
        for (String field : fields) {
            marked.add(field.toLowerCase(Locale.ROOT));
        }
        externalIdFields.put(key(sobject), marked);
    }

    /** Takes the object out of Change Data Capture (Setup): its changes are no longer published. */
    public void stopChangeDataCapture(String sobject) {
        captured.remove(key(sobject));
    }

    /**
     * A lookup of the object ({@code Contact.AccountId}) and its relationship ({@code Account}) to
     * {@code parent}: a write may name the parent by one of its fields, {@code "Account":
     * {"Ext_Id__c": "acme-42"}} in JSON or a column {@code Account.Ext_Id__c} in an ingest job's
     * CSV, which is resolved to the parent's Id in the lookup as Salesforce does, or refused with
     * {@code INVALID_FIELD} ({@code Foreign key external ID: acme-42 not found for field Ext_Id__c
     * in entity Account}) where no parent holds the value; a query reads {@code Account.Ext_Id__c}
     * through the lookup.
     */
    public void relationship(String sobject, String relationship, String lookup, String parent) {
        relationships.computeIfAbsent(key(sobject), key -> new ConcurrentHashMap<>())
                .put(relationship.toLowerCase(Locale.ROOT), new Relationship(lookup, parent));
    }

    /**
     * Saves of the object's records stamp them with {@code SystemModstamp} and {@code LastModifiedDate},
     * whole seconds as the API gives them, never earlier than the last stamp.
     */
    public void stamped(String sobject) {
        stampedObjects.add(key(sobject));
    }

    /** A user's edit in the org: the record's fields changed (and stamped, on a {@link #stamped} object). */
    public void edit(String sobject, String id, Map<String, Object> fields) {
        Map<String, Object> record = byId(sobject, id);
        if (record == null) {
            throw new IllegalArgumentException(sobject + " " + id + " is not in the org");
        }
        record.putAll(fields);
        stamp(sobject, record);
        Map<String, Object> changed = new LinkedHashMap<>(fields);
        for (String stampField : List.of("SystemModstamp", "LastModifiedDate")) {
            if (record.get(stampField) != null) {
                changed.put(stampField, record.get(stampField));
            }
        }
        published(sobject, "UPDATE", id, changed, USER_ORIGIN);
    }

    /** Adds a record as a user would make it in the org; its new Id. */
    public String create(String sobject, Map<String, Object> fields) {
        Map<String, Object> result = save(sobject, null, fields, USER_ORIGIN);
        if (!Boolean.TRUE.equals(result.get("success"))) {
            throw new IllegalArgumentException(String.valueOf(result.get("errors")));
        }
        return (String) result.get("id");
    }

    /** A user's delete in the org. */
    public void delete(String sobject, String id) {
        Map<String, Object> record = byId(sobject, id);
        if (record == null) {
            throw new IllegalArgumentException(sobject + " " + id + " is not in the org");
        }
        object(sobject).remove(record);
        published(sobject, "DELETE", id, Map.of(), USER_ORIGIN);
    }

    /**
     * A record gone from the org without a change event anyone received (deleted while no
     * subscriber listened, past the event retention window): the org simply no longer has it.
     */
    public void lose(String sobject, String id) {
        Map<String, Object> record = byId(sobject, id);
        if (record == null) {
            throw new IllegalArgumentException(sobject + " " + id + " is not in the org");
        }
        object(sobject).remove(record);
    }

    /**
     * A user deletes the record right after the next query of its object has read its last page:
     * between a reconciliation's pull and its fix.
     */
    public void deleteAfterQuery(String sobject, String id) {
        Map<String, Object> record = byId(sobject, id);
        if (record == null) {
            throw new IllegalArgumentException(sobject + " " + id + " is not in the org");
        }
        deletedAfterQuery.add(record);
    }

    /**
     * Enables the object for Change Data Capture (Setup, Change Data Capture): its channel
     * {@code /data/<Object>ChangeEvent} ({@code Foo__c}: {@code /data/Foo__ChangeEvent}) exists,
     * and each change of its records publishes an event there.
     */
    public void changeDataCapture(String sobject) {
        captured.put(key(sobject), sobject);
        objects.computeIfAbsent(key(sobject), key -> new CopyOnWriteArrayList<>());
        streaming.channel(channel(sobject));
    }

    /** The object's Change Data Capture channel. */
    public static String channel(String sobject) {
        return "/data/" + (sobject.endsWith("__c") ? sobject.substring(0, sobject.length() - 1) : sobject) + "ChangeEvent";
    }

    /** A gap event ({@code GAP_CREATE}, {@code GAP_UPDATE}, {@code GAP_DELETE}, {@code GAP_UNDELETE}): the records' ids, no fields. */
    public long publishGap(String sobject, String changeType, String... ids) {
        return streaming.publish(channel(sobject), Map.of("entityName", sobject, "recordIds", List.of(ids), "changeType", changeType,
                "changeOrigin", ""), Map.of());
    }

    /** An overflow event: a transaction changed more records than Salesforce reports; the entity only. */
    public long publishOverflow(String sobject) {
        return streaming.publish(channel(sobject), Map.of("entityName", sobject, "recordIds", List.of(), "changeType", "GAP_OVERFLOW",
                "changeOrigin", ""), Map.of());
    }

    /** The object's change event {@code replayId} delivered once more to its subscribers. */
    public void redeliver(String sobject, long replayId) {
        streaming.redeliver(channel(sobject), replayId);
    }

    /** The Streaming API forgets every client, as when its server restarts: each must handshake and subscribe again. */
    public void dropStreamingClients() {
        streaming.dropClients();
    }

    /** Queries from now on wait, each at most two minutes, until {@link #releaseQueries}. */
    public void holdQueries() {
        queriesHeld = new CountDownLatch(1);
    }

    /** Queries waiting since {@link #holdQueries} go on, and later ones no longer wait. */
    public void releaseQueries() {
        CountDownLatch held = queriesHeld;
        queriesHeld = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** How long a Streaming API connect is held while no event is queued (2 s by default). */
    public void streamingHold(java.time.Duration hold) {
        streaming.hold = hold;
    }

    /**
     * Change events published from now on carry a {@code commitTimestamp} this long before their
     * publication, as those of an org that publishes its changes late.
     */
    public void publishingDelay(java.time.Duration delay) {
        streaming.publishingDelay = delay;
    }

    /** The replay ids subscriptions asked for, in order, each {@code {channel, replayId}}. */
    public List<Map<String, Object>> subscriptions() {
        return List.copyOf(streaming.subscriptions);
    }

    /** The change events published so far, each its whole message ({@code channel}, {@code data}). */
    public List<Map<String, Object>> changeEvents() {
        return streaming.events().stream().map(SalesforceStreaming.Event::message).toList();
    }

    /** The events' change types so far, in order. */
    public List<String> changeTypes() {
        List<String> types = new ArrayList<>();
        for (SalesforceStreaming.Event event : streaming.events()) {
            Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) event.message().get("data")).get("payload");
            types.add(String.valueOf(((Map<?, ?>) payload.get("ChangeEventHeader")).get("changeType")));
        }
        return types;
    }

    /** A change of a record of an object enabled for Change Data Capture, published as its event. */
    private void published(String type, String changeType, String id, Map<String, Object> fields, String origin) {
        String entityName = captured.get(key(type));
        if (entityName == null) {
            return;
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("entityName", entityName);
        header.put("recordIds", List.of(id));
        header.put("changeType", changeType);
        header.put("changeOrigin", origin);
        header.put("changedFields", changeType.equals("UPDATE") ? List.copyOf(fields.keySet()) : List.of());
        Map<String, Object> values = new LinkedHashMap<>(fields);
        values.remove("Id");
        streaming.publish(channel(entityName), header, values);
    }

    /** Stamps saves with this second from now on, as when many records change within one second (null: the clock's). */
    public void stampAt(java.time.Instant second) {
        pinnedStamp = second;
    }

    private void stamp(String sobject, Map<String, Object> record) {
        if (stampedObjects.contains(key(sobject))) {
            java.time.Instant pinned = pinnedStamp;
            long now = pinned != null ? pinned.getEpochSecond()
                    : clock.updateAndGet(last -> Math.max(last, java.time.Instant.now().getEpochSecond()));
            String stamp = SALESFORCE_TIME.format(java.time.Instant.ofEpochSecond(now));
            record.put("SystemModstamp", stamp);
            record.put("LastModifiedDate", stamp);
        }
    }

    /** Fields a new record of the object must have: REQUIRED_FIELD_MISSING otherwise. */
    public void required(String sobject, String... fields) {
        requiredFields.put(key(sobject), List.of(fields));
    }

    /** Fields whose values no two records of the object may share: DUPLICATE_VALUE otherwise. */
    public void unique(String sobject, String... fields) {
        uniqueFields.put(key(sobject), List.of(fields));
    }

    /** The JWT bearer flow's assertions are checked against the public key of this certificate (the connected app's). */
    public void jwtCertificate(Certificate certificate) {
        jwtKey = certificate.getPublicKey();
    }

    /** Every session ends, as when they time out or an admin revokes them: the next API request gets 401. */
    public void expireSessions() {
        tokens.clear();
    }

    /** The next {@code requests} API requests answer 503, as an org in maintenance does. */
    public void unavailableFor(int requests) {
        unavailable.set(requests);
    }

    /**
     * The next {@code requests} API requests are refused as the org refuses them while too many
     * long-running requests run at once: 403 {@code REQUEST_LIMIT_EXCEEDED}, {@code ConcurrentPerOrgLongTxn
     * Limit exceeded.}; the daily allocation is not spent ({@code /limits} says requests remain).
     */
    public void concurrentLimitExceededFor(int requests) {
        concurrentLimitExceeded.set(requests);
    }

    /**
     * {@code GET /limits}: the org's limits, each {@code {"Max", "Remaining"}}; {@code DailyApiRequests}
     * has none remaining while {@link #requestLimitExceeded} (the rolling 24-hour allocation is spent).
     */
    private void limits(HttpExchange exchange) throws IOException {
        limitReads.incrementAndGet();
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("ConcurrentAsyncGetReportInstances", Map.of("Max", 200, "Remaining", 200));
        limits.put("DailyApiRequests", Map.of("Max", DAILY_API_REQUESTS, "Remaining",
                requestLimitExceeded ? 0 : Math.max(0, DAILY_API_REQUESTS - apiRequests.get())));
        limits.put("DailyBulkV2QueryJobs", Map.of("Max", 10000, "Remaining", 10000));
        send(exchange, 200, limits);
    }

    /** The API requests so far whose method and path are these ({@code PATCH}, {@code /composite/sobjects}). */
    public List<Call> calls(String method, String path) {
        return calls.stream().filter(call -> call.method().equals(method) && call.path().equals(path)).toList();
    }

    private interface Handler {

        void handle(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            handler.handle(exchange);
        } catch (RuntimeException e) {
            send(exchange, 500, List.of(error(String.valueOf(e.getMessage()), "UNKNOWN_EXCEPTION")));
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        logins.add(grant);
        String refusal = switch (grant) {
            case "client_credentials" -> clientRefusal(form);
            case "refresh_token" -> clientRefusal(form) != null ? clientRefusal(form)
                    : REFRESH_TOKEN.equals(form.get("refresh_token")) ? null : "invalid_grant:expired access/refresh token";
            case "password" -> clientRefusal(form) != null ? clientRefusal(form)
                    : USERNAME.equals(form.get("username")) && PASSWORD.equals(form.get("password")) ? null
                    : "invalid_grant:authentication failure";
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> assertionRefusal(form.get("assertion"));
            default -> "unsupported_grant_type:grant type not supported";
        };
        if (refusal != null) {
            String[] parts = refusal.split(":", 2);
            send(exchange, 400, Map.of("error", parts[0], "error_description", parts[1]));
            return;
        }
        String token = "00DSTUB000000001!AQ" + sequence.incrementAndGet();
        tokens.add(token);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("signature", "stub-signature");
        answer.put("scope", "api");
        answer.put("instance_url", baseUrl());
        answer.put("id", baseUrl() + "/id/00DSTUB000000001AAA/005STUB000000001AAA");
        answer.put("token_type", "Bearer");
        answer.put("issued_at", Long.toString(System.currentTimeMillis()));
        send(exchange, 200, answer);
    }

    private static String clientRefusal(Map<String, String> form) {
        return CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret")) ? null
                : "invalid_client:invalid client credentials";
    }

    /** Why a JWT bearer assertion is refused, or null: signed RS256 by the connected app's key, issued by its client id for the user. */
    private String assertionRefusal(String assertion) {
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3 || jwtKey == null) {
            return "invalid_grant:invalid assertion";
        }
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(jwtKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "invalid_grant:invalid assertion signature";
            }
            Map<?, ?> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            if (!CLIENT_ID.equals(claims.get("iss"))) {
                return "invalid_client_id:client identifier invalid";
            }
            if (!USERNAME.equals(claims.get("sub"))) {
                return "invalid_grant:user hasn't approved this consumer";
            }
            if (!String.valueOf(claims.get("aud")).startsWith(baseUrl())) {
                return "invalid_grant:audience is invalid";
            }
            if (Long.parseLong(String.valueOf(claims.get("exp"))) < System.currentTimeMillis() / 1000) {
                return "invalid_grant:expired authorization code";
            }
            return null;
        } catch (Exception e) {
            return "invalid_grant:invalid assertion: " + e.getMessage();
        }
    }

    private void revoke(HttpExchange exchange) throws IOException {
        String token = form(exchange.getRequestURI().getRawQuery()).get("token");
        if (token != null) {
            tokens.remove(token);
        }
        exchange.sendResponseHeaders(200, -1);
    }

    /** A REST API request: authorised and within the org's limits, then by its resource. */
    private void api(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !tokens.contains(authorization.replaceFirst("^(Bearer|OAuth) ", ""))) {
            send(exchange, 401, List.of(error("Session expired or invalid", "INVALID_SESSION_ID")));
            return;
        }
        Matcher version = DATA.matcher(exchange.getRequestURI().getPath());
        if (version.matches() && version.group(2).matches("/limits/?")) {
            limits(exchange);
            return;
        }
        if (requestLimitExceeded) {
            send(exchange, 403, List.of(error("TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED")));
            return;
        }
        if (concurrentLimitExceeded.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            send(exchange, 403, List.of(error("ConcurrentPerOrgLongTxn Limit exceeded.", "REQUEST_LIMIT_EXCEEDED")));
            return;
        }
        if (unavailable.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            send(exchange, 503, List.of(error("Server temporarily unavailable", "SERVER_UNAVAILABLE")));
            return;
        }
        Matcher data = DATA.matcher(exchange.getRequestURI().getPath());
        String resource = data.matches() ? data.group(2) : "";
        Matcher sobject = SOBJECT.matcher(resource);
        Matcher collections = COLLECTIONS.matcher(resource);
        CountDownLatch held = queriesHeld;
        if (held != null && (resource.startsWith("/query") || resource.startsWith("/jobs/query"))) {
            heldQueries.incrementAndGet();
            try {
                held.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (resource.matches("/sobjects/\\w+/describe/?")) {
            describe(exchange, resource.split("/")[2]);
        } else if (resource.startsWith("/tooling/query")) {
            toolingQuery(exchange);
        } else if (resource.startsWith("/query")) {
            query(exchange);
        } else if (resource.startsWith("/jobs/ingest") && ingestJobsUnavailable) {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
        } else if (resource.startsWith("/jobs/ingest")) {
            bulkIngest(exchange, resource);
        } else if (resource.startsWith("/jobs/query")) {
            bulkQuery(exchange, resource);
        } else if (collections.matches()) {
            collections(exchange, collections.group(1), collections.group(2));
        } else if (sobject.matches()) {
            sobject(exchange, data.group(1), sobject.group(1), sobject.group(2), sobject.group(3));
        } else {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
        }
    }

    private void sobject(HttpExchange exchange, String version, String type, String idOrField, String value) throws IOException {
        List<Map<String, Object>> records = object(type);
        String method = exchange.getRequestMethod();
        if (records == null) {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
            return;
        }
        if (idOrField == null && method.equals("POST")) {
            Map<String, Object> record = body(exchange);
            Map<String, Object> result = save(type, null, record);
            sendResult(exchange, 201, result);
            return;
        }
        if (value != null && method.equals("PATCH")) {
            upsert(exchange, version, type, idOrField, value);
            return;
        }
        if (value != null && method.equals("GET")) {
            byExternalId(exchange, version, type, idOrField, value);
            return;
        }
        Map<String, Object> found = idOrField == null ? null : byId(type, idOrField);
        if (found == null) {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
            return;
        }
        switch (method) {
            case "GET" -> {
                String wanted = form(exchange.getRequestURI().getRawQuery()).get("fields");
                List<String> fields = wanted == null ? new ArrayList<>(found.keySet()) : List.of(wanted.split(","));
                send(exchange, 200, project(type, found, fields));
            }
            case "PATCH" -> {
                Map<String, Object> result = save(type, idOrField, body(exchange));
                sendResult(exchange, 204, result);
            }
            case "DELETE" -> {
                records.remove(found);
                published(type, "DELETE", idOrField, Map.of(), API_ORIGIN);
                noContent(exchange);
            }
            default -> send(exchange, 405, List.of(error("HTTP Method '" + method + "' not allowed", "METHOD_NOT_ALLOWED")));
        }
    }

    /**
     * {@code GET /sobjects/{type}/describe}: the object and its fields, each with its {@code type},
     * {@code externalId}, {@code idLookup}, {@code createable}, {@code updateable}, {@code nillable}
     * and {@code unique}: the declared fields, else those its records hold; 404 for an object the org has not.
     */
    private void describe(HttpExchange exchange, String type) throws IOException {
        List<Map<String, Object>> records = object(type);
        if (records == null) {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
            return;
        }
        Set<String> names = new LinkedHashSet<>(List.of("Id"));
        names.addAll(SYSTEM_FIELDS);
        names.addAll(fieldNames.getOrDefault(key(type), List.of()));
        if (!fieldNames.containsKey(key(type))) {
            records.forEach(record -> names.addAll(record.keySet()));
        }
        Set<String> externalIds = externalIdFields.getOrDefault(key(type), Set.of());
        Set<String> required = Set.copyOf(requiredFields.getOrDefault(key(type), List.of()));
        Set<String> unique = Set.copyOf(uniqueFields.getOrDefault(key(type), List.of()));
        Set<String> lookups = new java.util.HashSet<>();
        relationships.getOrDefault(key(type), Map.of()).values().forEach(each -> lookups.add(each.lookup().toLowerCase(Locale.ROOT)));
        List<Map<String, Object>> fields = new ArrayList<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean id = lower.equals("id");
            boolean system = SYSTEM_FIELDS.contains(name);
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("name", name);
            field.put("label", name);
            field.put("type", id ? "id" : system ? (name.endsWith("ById") ? "reference" : name.equals("IsDeleted") ? "boolean" : "datetime")
                    : lookups.contains(lower) ? "reference" : "string");
            field.put("custom", name.endsWith("__c"));
            field.put("externalId", externalIds.contains(lower));
            field.put("idLookup", id || externalIds.contains(lower) || unique.contains(name));
            field.put("createable", !id && !system);
            field.put("updateable", !id && !system);
            field.put("nillable", !id && !system && !required.contains(name));
            field.put("unique", unique.contains(name));
            fields.add(field);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", type);
        answer.put("label", type);
        answer.put("custom", type.endsWith("__c"));
        answer.put("createable", true);
        answer.put("updateable", true);
        answer.put("queryable", true);
        answer.put("fields", fields);
        send(exchange, 200, answer);
    }

    /**
     * {@code GET /tooling/query?q=…}: only {@code PlatformEventChannelMember}, the objects selected for
     * Change Data Capture on the standard channel {@code ChangeEvents}; other queries 400 {@code INVALID_TYPE}.
     */
    private void toolingQuery(HttpExchange exchange) throws IOException {
        String soql = form(exchange.getRequestURI().getRawQuery()).getOrDefault("q", "");
        if (!soql.matches("(?is)\\s*SELECT\\s+.+\\s+FROM\\s+PlatformEventChannelMember\\s*")) {
            send(exchange, 400, List.of(error("sObject type is not supported by this stand-in's Tooling API", "INVALID_TYPE")));
            return;
        }
        List<Map<String, Object>> records = new ArrayList<>();
        captured.values().stream().sorted().forEach(sobject -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("attributes", Map.of("type", "PlatformEventChannelMember"));
            member.put("EventChannel", "ChangeEvents");
            member.put("SelectedEntity", channel(sobject).substring("/data/".length()));
            records.add(member);
        });
        send(exchange, 200, Map.of("size", records.size(), "totalSize", records.size(), "done", true,
                "entityTypeName", "PlatformEventChannelMember", "records", records));
    }

    private void upsert(HttpExchange exchange, String version, String type, String field, String value) throws IOException {
        Map<String, Object> record = body(exchange);
        String decoded = java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
        List<Map<String, Object>> matches = object(type).stream()
                .filter(existing -> decoded.equals(String.valueOf(existing.get(field)))).toList();
        if (matches.size() > 1) {
            List<String> urls = matches.stream().map(match -> "/services/data/" + version + "/sobjects/" + type + "/" + match.get("Id")).toList();
            send(exchange, 300, urls);
            return;
        }
        record.put(field, decoded);
        Map<String, Object> result = save(type, matches.isEmpty() ? null : String.valueOf(matches.get(0).get("Id")), record);
        if (Boolean.TRUE.equals(result.get("success"))) {
            result.put("created", matches.isEmpty());
        }
        sendResult(exchange, matches.isEmpty() ? 201 : 200, result);
    }

    /**
     * {@code GET /sobjects/{type}/{field}/{value}}, sObject Rows by External ID: the one record holding the
     * value, all its fields; 404 {@code NOT_FOUND} when none does, 300 with the records' URLs when several do.
     */
    private void byExternalId(HttpExchange exchange, String version, String type, String field, String value) throws IOException {
        String decoded = java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
        List<Map<String, Object>> matches = object(type).stream()
                .filter(existing -> decoded.equals(String.valueOf(existing.get(field)))).toList();
        if (matches.isEmpty()) {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
        } else if (matches.size() > 1) {
            send(exchange, 300, matches.stream().map(match -> "/services/data/" + version + "/sobjects/" + type + "/"
                    + match.get("Id")).toList());
        } else {
            send(exchange, 200, project(type, matches.get(0), new ArrayList<>(matches.get(0).keySet())));
        }
    }

    private void collections(HttpExchange exchange, String upsertType, String upsertField) throws IOException {
        String method = exchange.getRequestMethod();
        List<Map<String, Object>> results = new ArrayList<>();
        if (method.equals("DELETE")) {
            Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
            List<String> ids = List.of(query.getOrDefault("ids", "").split(","));
            if (tooMany(exchange, ids.size())) {
                return;
            }
            for (String id : ids) {
                Map<String, Object> result = new LinkedHashMap<>();
                String type = typeOf(id);
                Map<String, Object> found = type == null ? null : byId(type, id);
                if (found == null) {
                    result.put("success", false);
                    result.put("errors", List.of(saveError("ENTITY_IS_DELETED", "entity is deleted", List.of())));
                } else {
                    object(type).remove(found);
                    published(type, "DELETE", id, Map.of(), API_ORIGIN);
                    result.put("id", id);
                    result.put("success", true);
                    result.put("errors", List.of());
                }
                results.add(result);
            }
            sendCollection(exchange, results, ids.size());
            return;
        }
        Map<?, ?> request = JSON.readValue(exchange.getRequestBody(), Map.class);
        List<?> records = request.get("records") instanceof List<?> list ? list : List.of();
        if (tooMany(exchange, records.size())) {
            return;
        }
        for (Object item : records) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) item);
            Object attributes = record.remove("attributes");
            String type = upsertType != null ? upsertType
                    : attributes instanceof Map<?, ?> map ? String.valueOf(map.get("type")) : null;
            if (type == null || object(type) == null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("success", false);
                result.put("errors", List.of(saveError("INVALID_TYPE", "sObject type '" + type + "' is not supported.", List.of())));
                results.add(result);
            } else if (upsertType != null) {
                Object value = record.get(upsertField);
                List<Map<String, Object>> matches = object(type).stream()
                        .filter(existing -> value != null && String.valueOf(value).equals(String.valueOf(existing.get(upsertField)))).toList();
                Map<String, Object> result;
                if (matches.size() > 1) {
                    result = new LinkedHashMap<>(Map.of("success", false, "errors", List.of(saveError("DUPLICATE_EXTERNAL_ID",
                            upsertField + ": more than one record found for external id field", List.of(upsertField)))));
                } else {
                    result = save(type, matches.isEmpty() ? null : String.valueOf(matches.get(0).get("Id")), record);
                    if (Boolean.TRUE.equals(result.get("success"))) {
                        result.put("created", matches.isEmpty());
                    }
                }
                results.add(collectionResult(result));
            } else if (method.equals("POST")) {
                results.add(collectionResult(save(type, null, record)));
            } else {
                String id = String.valueOf(record.remove("Id"));
                if (byId(type, id) == null) {
                    results.add(collectionResult(new LinkedHashMap<>(Map.of("success", false, "errors", List.of(
                            saveError("ENTITY_IS_DELETED", "entity is deleted", List.of()))))));
                } else {
                    results.add(collectionResult(save(type, id, record)));
                }
            }
        }
        sendCollection(exchange, results, records.size());
    }

    private boolean tooMany(HttpExchange exchange, int records) throws IOException {
        if (records > COLLECTION_LIMIT) {
            send(exchange, 400, List.of(error("Maximum number of records exceeded: " + COLLECTION_LIMIT, "EXCEEDED_ID_LIMIT")));
            return true;
        }
        return false;
    }

    /**
     * Saves a record (new when {@code id} is null): the result Salesforce gives one record,
     * {@code {id, success, errors}}, its errors as a request's errors ({@code errorCode}).
     */
    private Map<String, Object> save(String type, String id, Map<String, Object> fields) {
        return save(type, id, fields, API_ORIGIN);
    }

    private Map<String, Object> save(String type, String id, Map<String, Object> written, String origin) {
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : written.entrySet()) {
            String name = field.getKey();
            Map<?, ?> byExternalId = field.getValue() instanceof Map<?, ?> map ? map
                    : name.contains(".") ? Map.of(name.substring(name.indexOf('.') + 1), String.valueOf(field.getValue())) : null;
            if (byExternalId == null) {
                fields.put(name, field.getValue());
                continue;
            }
            String relationshipName = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            Relationship relationship = relationships.getOrDefault(key(type), Map.of()).get(relationshipName.toLowerCase(Locale.ROOT));
            if (relationship == null) {
                return failure(result, "INVALID_FIELD", "No such column '" + relationshipName + "' on sobject of type " + type,
                        relationshipName);
            }
            if (byExternalId.size() != 1) {
                return failure(result, "INVALID_FIELD", "More than 1 field provided in an external foreign key reference in entity: "
                        + relationship.parent(), relationshipName);
            }
            Map.Entry<?, ?> parentField = byExternalId.entrySet().iterator().next();
            String value = String.valueOf(parentField.getValue());
            Optional<Map<String, Object>> parent = object(relationship.parent()).stream()
                    .filter(candidate -> value.equals(String.valueOf(candidate.get(String.valueOf(parentField.getKey()))))).findFirst();
            if (parent.isEmpty()) {
                return failure(result, "INVALID_FIELD", "Foreign key external ID: " + value + " not found for field "
                        + parentField.getKey() + " in entity " + relationship.parent(), relationshipName);
            }
            fields.put(relationship.lookup(), parent.get().get("Id"));
        }
        Set<String> declared = declaredFields.get(key(type));
        for (String field : fields.keySet()) {
            if (declared != null && !declared.contains(field.toLowerCase(Locale.ROOT))) {
                return failure(result, "INVALID_FIELD", "No such column '" + field + "' on sobject of type " + type, field);
            }
        }
        Map<String, Object> existing = id == null ? null : byId(type, id);
        Map<String, Object> merged = new LinkedHashMap<>(existing == null ? Map.of() : withoutNulls(existing));
        merged.putAll(fields);
        for (String field : requiredFields.getOrDefault(key(type), List.of())) {
            Object value = merged.get(field);
            if (value == null || value.toString().isBlank()) {
                return failure(result, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + field + "]", field);
            }
        }
        for (String field : uniqueFields.getOrDefault(key(type), List.of())) {
            Object value = merged.get(field);
            boolean taken = value != null && object(type).stream().anyMatch(other -> other != existing
                    && value.equals(other.get(field)));
            if (taken) {
                return failure(result, "DUPLICATE_VALUE", "duplicate value found: " + field + " duplicates value on record with id: "
                        + object(type).stream().filter(other -> value.equals(other.get(field))).findFirst().map(other -> other.get("Id")).orElse(""), field);
            }
        }
        if (existing == null) {
            String newId = prefix(type) + String.format("STUB%011dAAA", sequence.incrementAndGet()).substring(0, 15);
            merged.put("Id", newId);
            stamp(type, merged);
            object(type).add(merged);
            published(type, "CREATE", (String) merged.get("Id"), withoutNulls(merged), origin);
        } else {
            Map<String, Object> before = new LinkedHashMap<>(existing);
            existing.putAll(fields);
            stamp(type, existing);
            Map<String, Object> changed = new LinkedHashMap<>();
            existing.forEach((field, value) -> {
                if (!java.util.Objects.equals(before.get(field), value)) {
                    changed.put(field, value);
                }
            });
            published(type, "UPDATE", id, changed, origin);
        }
        result.put("id", merged.get("Id"));
        result.put("success", true);
        result.put("errors", List.of());
        return result;
    }

    private static Map<String, Object> failure(Map<String, Object> result, String code, String message, String field) {
        result.put("success", false);
        result.put("errors", List.of(Map.of("errorCode", code, "message", message, "fields", List.of(field))));
        return result;
    }

    /** A record's result in an sObject Collections answer: its errors' code named {@code statusCode}. */
    private static Map<String, Object> collectionResult(Map<String, Object> result) {
        if (Boolean.TRUE.equals(result.get("success"))) {
            return result;
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Object error : (List<?>) result.get("errors")) {
            Map<?, ?> map = (Map<?, ?>) error;
            errors.add(saveError(String.valueOf(map.containsKey("statusCode") ? map.get("statusCode") : map.get("errorCode")),
                    String.valueOf(map.get("message")), map.get("fields") instanceof List<?> fields ? fields : List.of()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", false);
        answer.put("errors", errors);
        return answer;
    }

    private static Map<String, Object> saveError(String code, String message, List<?> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", code);
        error.put("message", message);
        error.put("fields", fields);
        return error;
    }

    /** One record's write answered alone: its result, or its errors as a request's errors with 400. */
    private void sendResult(HttpExchange exchange, int status, Map<String, Object> result) throws IOException {
        if (!Boolean.TRUE.equals(result.get("success"))) {
            send(exchange, 400, result.get("errors"));
        } else if (status == 204) {
            noContent(exchange);
        } else {
            send(exchange, status, result);
        }
    }

    private void sendCollection(HttpExchange exchange, List<Map<String, Object>> results, int records) throws IOException {
        String path = DATA.matcher(exchange.getRequestURI().getPath()).replaceFirst("$2");
        byte[] bytes = JSON.writeValueAsBytes(results);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiRequests.incrementAndGet() + "/" + DAILY_API_REQUESTS);
        calls.add(new Call(exchange.getRequestMethod(), path, 200, records));
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void noContent(HttpExchange exchange) throws IOException {
        String path = DATA.matcher(exchange.getRequestURI().getPath()).replaceFirst("$2");
        calls.add(new Call(exchange.getRequestMethod(), path, 204, 1));
        exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiRequests.incrementAndGet() + "/" + DAILY_API_REQUESTS);
        exchange.sendResponseHeaders(204, -1);
    }

    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        @SuppressWarnings("unchecked")
        Map<String, Object> body = bytes.length == 0 ? new LinkedHashMap<>() : new LinkedHashMap<>(JSON.readValue(bytes, Map.class));
        body.remove("attributes");
        return body;
    }

    private List<Map<String, Object>> object(String sobject) {
        return objects.get(key(sobject));
    }

    private Map<String, Object> byId(String type, String id) {
        List<Map<String, Object>> records = object(type);
        return records == null ? null : records.stream().filter(record -> id.equals(record.get("Id"))).findFirst().orElse(null);
    }

    /** The object of a record id, by the id's key prefix among the objects the org has. */
    private String typeOf(String id) {
        for (String type : objects.keySet()) {
            if (byId(type, id) != null) {
                return type;
            }
        }
        return null;
    }

    private static String prefix(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "contact" -> "003";
            case "account" -> "001";
            case "lead" -> "00Q";
            default -> "a0B";
        };
    }

    private static String key(String sobject) {
        return sobject.toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> record) {
        Map<String, Object> copy = new LinkedHashMap<>();
        record.forEach((field, value) -> {
            if (value != null) {
                copy.put(field, value);
            }
        });
        return copy;
    }

    private void query(HttpExchange exchange) throws IOException {
        int batchSize = batchSize(exchange.getRequestHeaders().getFirst("Sforce-Query-Options"));
        String path = exchange.getRequestURI().getPath();
        Matcher locator = LOCATOR.matcher(path);
        if (locator.matches()) {
            List<String> cursor = cursors.get(locator.group(1));
            if (cursor == null) {
                send(exchange, 400, List.of(error("invalid query locator", "INVALID_QUERY_LOCATOR")));
                return;
            }
            page(exchange, locator.group(1), cursor, Integer.parseInt(locator.group(2)), batchSize, path);
            return;
        }
        Selection selection = selection(exchange, form(exchange.getRequestURI().getRawQuery()).get("q"));
        if (selection == null) {
            return;
        }
        List<String> cursor = selection.cursor();
        String id = "01gSTUB" + String.format("%08d", sequence.incrementAndGet());
        cursors.put(id, cursor);
        if (selection.snapshot() != null) {
            snapshots.put(id, selection.snapshot());
        }
        page(exchange, id, cursor, 0, batchSize, path.replaceFirst("/query/?$", "/query"));
    }

    /**
     * Bulk API 2.0 query jobs: {@code POST /jobs/query} ({@code {"operation": "query"|"queryAll",
     * "query": …}}) makes one, answered with its info in state {@code UploadComplete};
     * {@code GET /jobs/query/{id}} its info, {@code InProgress} for {@link #bulkPollsInProgress}
     * polls, then {@code JobComplete} with {@code numberRecordsProcessed}; {@code GET
     * /jobs/query/{id}/results?maxRecords=&locator=} a page of CSV (a header row of the fields as
     * selected, every value quoted, an empty field for null) with {@code Sforce-NumberOfRecords}
     * and {@code Sforce-Locator}, the string {@code null} on the last page. Results before the job
     * is complete: 400.
     */
    private void bulkQuery(HttpExchange exchange, String resource) throws IOException {
        Matcher path = jobPath(exchange, BULK_JOB, resource);
        if (path == null) {
            return;
        }
        String method = exchange.getRequestMethod();
        if (path.group(1) == null) {
            Map<?, ?> request = jobRequest(exchange);
            if (request == null) {
                return;
            }
            String operation = String.valueOf(request.get("operation"));
            if (!operation.equals("query") && !operation.equals("queryAll")) {
                send(exchange, 400, List.of(error("Invalid operation: " + operation, "INVALIDJOB")));
                return;
            }
            String soql = String.valueOf(request.get("query"));
            Selection selection = selection(exchange, soql);
            if (selection == null) {
                return;
            }
            List<String> cursor = selection.cursor();
            String id = "750STUB" + String.format("%08d", sequence.incrementAndGet());
            BulkJob job = new BulkJob(id, operation, soql, cursor,
                    selection.snapshot() != null ? selection.snapshot() : List.copyOf(object(cursor.get(0))),
                    SALESFORCE_TIME.format(java.time.Instant.now()), new AtomicInteger());
            bulkJobs.put(id, job);
            send(exchange, 200, jobInfo(job, "UploadComplete"));
            return;
        }
        BulkJob job = bulkJobs.get(path.group(1));
        if (job == null || !method.equals("GET")) {
            send(exchange, job == null ? 404 : 405, List.of(error(job == null ? "Job not found" : "HTTP Method '" + method
                    + "' not allowed", job == null ? "NOT_FOUND" : "METHOD_NOT_ALLOWED")));
            return;
        }
        if (path.group(2) == null) {
            boolean complete = job.polls().incrementAndGet() > bulkPollsInProgress;
            Map<String, Object> info = jobInfo(job, complete ? "JobComplete" : "InProgress");
            info.put("numberRecordsProcessed", complete ? job.records().size() : 0);
            info.put("retries", 0);
            info.put("totalProcessingTime", complete ? 1200 : 0);
            info.put("jobType", "V2Query");
            send(exchange, 200, info);
            return;
        }
        if (job.polls().get() <= bulkPollsInProgress) {
            send(exchange, 400, List.of(error("Job isn't complete: " + job.id(), "INVALIDJOBSTATE")));
            return;
        }
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        bulkMaxRecords.add(query.getOrDefault("maxRecords", ""));
        int maxRecords = query.containsKey("maxRecords") ? Integer.parseInt(query.get("maxRecords")) : bulkDefaultPageSize;
        int offset = query.containsKey("locator")
                ? Integer.parseInt(new String(Base64.getDecoder().decode(query.get("locator")), StandardCharsets.UTF_8)) : 0;
        int end = Math.min(job.records().size(), offset + maxRecords);
        List<String> fields = job.cursor().subList(1, job.cursor().size());
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", fields.stream().map(field -> quoted(field)).toList())).append('\n');
        for (Map<String, Object> record : job.records().subList(Math.min(offset, end), end)) {
            Map<String, Object> projected = project(job.cursor().get(0), record, fields);
            List<String> values = new ArrayList<>();
            for (String field : fields) {
                String[] steps = field.split("\\.");
                Object value = projected.get(steps[0]);
                if (steps.length > 1) {
                    value = value instanceof Map<?, ?> related ? related.get(steps[1]) : null;
                }
                values.add(value == null ? "" : quoted(String.valueOf(value)));
            }
            csv.append(String.join(",", values)).append('\n');
        }
        String next = end < job.records().size()
                ? Base64.getEncoder().withoutPadding().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)) : "null";
        exchange.getResponseHeaders().set("Sforce-Locator", next);
        exchange.getResponseHeaders().set("Sforce-NumberOfRecords", Integer.toString(end - Math.min(offset, end)));
        sendText(exchange, 200, "text/csv", csv.toString(), end - Math.min(offset, end));
    }

    /**
     * Bulk API 2.0 ingest jobs, as Salesforce documents them: {@code POST /jobs/ingest}
     * ({@code {"object", "operation": insert|update|upsert|delete, "externalIdFieldName",
     * "contentType": "CSV", "lineEnding", "columnDelimiter"}}) makes one in state {@code Open};
     * {@code PUT /jobs/ingest/{id}/batches} ({@code Content-Type: text/csv}, once, at most
     * {@link #INGEST_UPLOAD_LIMIT} bytes) uploads its rows, 201; {@code PATCH /jobs/ingest/{id}}
     * {@code {"state": "UploadComplete"}} closes it, or {@code "Aborted"} aborts it (nothing
     * processed); {@code GET /jobs/ingest/{id}} its info, {@code InProgress} for
     * {@link #ingestPollsInProgress} polls, then its rows are processed (a value {@code #N/A} sets
     * a field to null, an empty one leaves it) and it is {@code JobComplete} (or {@code Failed}
     * with {@code errorMessage}, see {@link #failNextIngestJob}) with
     * {@code numberRecordsProcessed} and {@code numberRecordsFailed}; once it ended, {@code GET
     * …/successfulResults} ({@code sf__Id}, {@code sf__Created}, the row), {@code …/failedResults}
     * ({@code sf__Id}, {@code sf__Error} as {@code CODE:message:fields --}, the row) and
     * {@code …/unprocessedrecords} (the row) as CSV.
     */
    private void bulkIngest(HttpExchange exchange, String resource) throws IOException {
        Matcher path = jobPath(exchange, INGEST_JOB, resource);
        if (path == null) {
            return;
        }
        String method = exchange.getRequestMethod();
        if (path.group(1) == null) {
            Map<?, ?> request = jobRequest(exchange);
            if (request == null) {
                return;
            }
            String operation = String.valueOf(request.get("operation"));
            String object = String.valueOf(request.get("object"));
            Object field = request.get("externalIdFieldName");
            if (!List.of("insert", "update", "upsert", "delete").contains(operation)) {
                send(exchange, 400, List.of(error("InvalidJob : Invalid operation: " + operation, "INVALIDJOB")));
                return;
            }
            if (object(object) == null) {
                send(exchange, 400, List.of(error("InvalidJob : Invalid object: " + object, "INVALIDJOB")));
                return;
            }
            if (operation.equals("upsert") && field == null) {
                send(exchange, 400, List.of(error("InvalidJob : External ID was blank for " + object
                        + ". An External ID must be specified for upsert.", "INVALIDJOB")));
                return;
            }
            String id = "750STUB" + String.format("%08d", sequence.incrementAndGet());
            IngestJob job = new IngestJob(id, object, operation, field == null ? null : String.valueOf(field),
                    SALESFORCE_TIME.format(java.time.Instant.now()));
            ingestJobs.put(id, job);
            send(exchange, 200, ingestInfo(job));
            return;
        }
        IngestJob job = ingestJobs.get(path.group(1));
        if (job == null) {
            send(exchange, 404, List.of(error("Job not found", "NOT_FOUND")));
            return;
        }
        String part = path.group(2);
        if ("/batches".equals(part)) {
            byte[] csv = exchange.getRequestBody().readAllBytes();
            if (!method.equals("PUT") || !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("text/csv")) {
                send(exchange, 400, List.of(error("Upload job data with PUT as text/csv", "INVALIDBATCH")));
            } else if (!job.state.equals("Open") || job.columns != null) {
                send(exchange, 400, List.of(error("Job " + job.id + " is not open for upload", "INVALIDJOBSTATE")));
            } else if (csv.length > INGEST_UPLOAD_LIMIT) {
                send(exchange, 400, List.of(error("Upload exceeds the limit of 150 MB", "INVALIDBATCH")));
            } else {
                readUpload(job, csv);
                calls.add(new Call(method, resource, 201, job.rows.size()));
                exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiRequests.incrementAndGet() + "/" + DAILY_API_REQUESTS);
                exchange.sendResponseHeaders(201, -1);
            }
            return;
        }
        if (part == null && method.equals("PATCH")) {
            String state = String.valueOf(JSON.readValue(exchange.getRequestBody(), Map.class).get("state"));
            if (state.equals("UploadComplete") && job.state.equals("Open")) {
                job.state = "UploadComplete";
                closed(job);
            } else if (state.equals("Aborted") && !List.of("JobComplete", "Failed", "Aborted").contains(job.state)) {
                job.state = "Aborted";
                job.unprocessed.clear();
                job.unprocessed.addAll(job.rows);
            } else {
                send(exchange, 400, List.of(error("Job " + job.id + " is " + job.state + ": it cannot become " + state,
                        "INVALIDJOBSTATE")));
                return;
            }
            send(exchange, 200, ingestInfo(job));
            return;
        }
        if (!method.equals("GET")) {
            send(exchange, 405, List.of(error("HTTP Method '" + method + "' not allowed", "METHOD_NOT_ALLOWED")));
            return;
        }
        if (part == null) {
            if (job.state.equals("UploadComplete") || job.state.equals("InProgress")) {
                boolean ended = job.polls.incrementAndGet() > ingestPollsInProgress;
                if (ended) {
                    process(job);
                }
                job.state = !ended ? "InProgress" : job.errorMessage != null ? "Failed" : "JobComplete";
            }
            send(exchange, 200, ingestInfo(job));
            return;
        }
        if (!List.of("JobComplete", "Failed", "Aborted").contains(job.state)) {
            send(exchange, 400, List.of(error("Job " + job.id + " has not ended: " + job.state, "INVALIDJOBSTATE")));
            return;
        }
        List<String> columns = job.columns == null ? List.of() : job.columns;
        List<String> header = new ArrayList<>();
        List<Map<String, String>> rows = switch (part) {
            case "/successfulResults" -> {
                header.addAll(List.of("sf__Id", "sf__Created"));
                yield job.successful;
            }
            case "/failedResults" -> {
                header.addAll(List.of("sf__Id", "sf__Error"));
                yield job.failed;
            }
            default -> job.unprocessed;
        };
        header.addAll(columns);
        StringBuilder csv = new StringBuilder(String.join(",", header.stream().map(SalesforceStub::quoted).toList())).append('\n');
        for (Map<String, String> row : rows) {
            csv.append(String.join(",", header.stream().map(column -> row.get(column) == null ? "" : quoted(row.get(column))).toList()))
                    .append('\n');
        }
        sendText(exchange, 200, "text/csv", csv.toString(), rows.size());
    }

    private static void readUpload(IngestJob job, byte[] csv) throws IOException {
        com.fasterxml.jackson.dataformat.csv.CsvMapper mapper = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
        List<Map<String, String>> rows = new ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> read = mapper.readerForMapOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader()).readValues(csv)) {
            while (read.hasNext()) {
                rows.add(new LinkedHashMap<>(read.next()));
            }
        }
        String firstLine = new String(csv, StandardCharsets.UTF_8).split("\n", 2)[0];
        List<String> columns = new ArrayList<>();
        for (String column : firstLine.split(",")) {
            columns.add(column.trim().replaceAll("^\"|\"$", ""));
        }
        job.columns = columns;
        job.rows = rows;
    }

    /**
     * The next ingest job closed ends {@code Failed} with this {@code errorMessage} after processing
     * its first {@code processed} rows; the others are unprocessed.
     */
    public synchronized void failNextIngestJob(String errorMessage, int processed) {
        ingestFailure = errorMessage;
        ingestFailAfter = processed;
    }

    /** A job closed: whether it is to fail ({@link #failNextIngestJob}). */
    private synchronized void closed(IngestJob job) {
        job.errorMessage = ingestFailure;
        job.failAfter = ingestFailAfter;
        ingestFailure = null;
    }

    /** The job's rows saved one by one as the org would when it ends, or only the first few where it fails. */
    private void process(IngestJob job) {
        int limit = job.errorMessage == null ? job.rows.size() : Math.min(job.failAfter, job.rows.size());
        for (int i = 0; i < job.rows.size(); i++) {
            Map<String, String> row = job.rows.get(i);
            if (i >= limit) {
                job.unprocessed.add(row);
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            row.forEach((column, value) -> {
                if (value != null && !value.isEmpty()) {
                    fields.put(column, "#N/A".equals(value) ? null : value);
                }
            });
            Map<String, Object> result;
            boolean created = false;
            switch (job.operation) {
                case "update", "delete" -> {
                    String id = String.valueOf(fields.remove("Id"));
                    Map<String, Object> found = byId(job.object, id);
                    if (found == null) {
                        result = new LinkedHashMap<>(Map.of("success", false, "errors", List.of(Map.of("errorCode",
                                "ENTITY_IS_DELETED", "message", "entity is deleted", "fields", List.of()))));
                    } else if (job.operation.equals("delete")) {
                        object(job.object).remove(found);
                        published(job.object, "DELETE", id, Map.of(), API_ORIGIN);
                        result = new LinkedHashMap<>(Map.of("success", true, "id", id));
                    } else {
                        result = save(job.object, id, fields);
                    }
                }
                case "upsert" -> {
                    Object value = fields.get(job.externalIdField);
                    List<Map<String, Object>> matches = object(job.object).stream()
                            .filter(existing -> value != null && String.valueOf(value).equals(String.valueOf(existing.get(job.externalIdField))))
                            .toList();
                    if (matches.size() > 1) {
                        result = new LinkedHashMap<>(Map.of("success", false, "errors", List.of(Map.of("errorCode",
                                "DUPLICATE_EXTERNAL_ID", "message", job.externalIdField + ": more than one record found for external id field",
                                "fields", List.of(job.externalIdField)))));
                    } else {
                        created = matches.isEmpty();
                        result = save(job.object, created ? null : String.valueOf(matches.get(0).get("Id")), fields);
                    }
                }
                default -> {
                    created = true;
                    result = save(job.object, null, fields);
                }
            }
            Map<String, String> answered = new LinkedHashMap<>(row);
            if (Boolean.TRUE.equals(result.get("success"))) {
                answered.put("sf__Id", String.valueOf(result.get("id")));
                answered.put("sf__Created", Boolean.toString(created));
                job.successful.add(answered);
            } else {
                Map<?, ?> error = (Map<?, ?>) ((List<?>) result.get("errors")).get(0);
                List<?> fieldsOf = error.get("fields") instanceof List<?> list ? list : List.of();
                answered.put("sf__Id", "");
                answered.put("sf__Error", error.get("errorCode") + ":" + error.get("message") + ":"
                        + String.join(",", fieldsOf.stream().map(String::valueOf).toList()) + " --");
                job.failed.add(answered);
            }
        }
    }

    private Map<String, Object> ingestInfo(IngestJob job) {
        Map<String, Object> info = jobInfo(job.id, job.operation, job.object, job.created, job.state);
        if (job.externalIdField != null) {
            info.put("externalIdFieldName", job.externalIdField);
        }
        info.put("jobType", "V2Ingest");
        info.put("contentUrl", "services/data/v62.0/jobs/ingest/" + job.id + "/batches");
        boolean ended = List.of("JobComplete", "Failed", "Aborted").contains(job.state);
        if (ended) {
            info.put("numberRecordsProcessed", job.successful.size() + job.failed.size());
            info.put("numberRecordsFailed", job.failed.size());
            info.put("retries", 0);
            info.put("totalProcessingTime", 1200);
        }
        if (job.errorMessage != null && job.state.equals("Failed")) {
            info.put("errorMessage", job.errorMessage);
        }
        return info;
    }

    /** The ingest jobs made so far, each {@code {id, object, operation, state, rows}}, in no particular order. */
    public List<Map<String, Object>> ingestJobs() {
        return ingestJobs.values().stream().map(job -> Map.<String, Object>of("id", job.id, "object", job.object,
                "operation", job.operation, "state", job.state, "rows", job.rows.size())).toList();
    }

    /** The job resource's path, its job id as group 1; null when it names none, 404 sent. */
    private Matcher jobPath(HttpExchange exchange, Pattern pattern, String resource) throws IOException {
        Matcher path = pattern.matcher(resource);
        if (!path.matches()) {
            send(exchange, 404, List.of(error("The requested resource does not exist", "NOT_FOUND")));
            return null;
        }
        return path;
    }

    /** The body of a request making a job; null when it is not a POST, 405 sent. */
    private Map<?, ?> jobRequest(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("POST")) {
            send(exchange, 405, List.of(error("HTTP Method '" + method + "' not allowed", "METHOD_NOT_ALLOWED")));
            return null;
        }
        return JSON.readValue(exchange.getRequestBody(), Map.class);
    }

    private Map<String, Object> jobInfo(BulkJob job, String state) {
        return jobInfo(job.id(), job.operation(), job.cursor().get(0), job.created(), state);
    }

    /** What Salesforce answers of a job, either kind. */
    private static Map<String, Object> jobInfo(String id, String operation, String object, String created, String state) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", id);
        info.put("operation", operation);
        info.put("object", object);
        info.put("createdById", "005STUB000000001AAA");
        info.put("createdDate", created);
        info.put("systemModstamp", created);
        info.put("state", state);
        info.put("concurrencyMode", "Parallel");
        info.put("contentType", "CSV");
        info.put("apiVersion", 62.0);
        info.put("lineEnding", "LF");
        info.put("columnDelimiter", "COMMA");
        return info;
    }

    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * What a query reads: its object and fields as {@code [object, field…]}, and for a query with a
     * {@code WHERE} or an {@code ORDER BY} its records as they are now (null: the object's, live).
     */
    private record Selection(List<String> cursor, List<Map<String, Object>> snapshot) {
    }

    /**
     * What a {@code SELECT … FROM … [WHERE …] [ORDER BY …]} reads, the query noted in
     * {@link #queries}; null when the query is refused, the error already sent.
     */
    private Selection selection(HttpExchange exchange, String soql) throws IOException {
        Matcher select = soql == null ? null : QUERY.matcher(soql);
        if (select == null || !select.matches()) {
            send(exchange, 400, List.of(error("unexpected token: " + soql, "MALFORMED_QUERY")));
            return null;
        }
        queries.add(soql);
        List<String> selected = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String field : select.group(1).split(",")) {
            String name = field.trim();
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                send(exchange, 400, List.of(error("duplicate field selected: " + name, "MALFORMED_QUERY")));
                return null;
            }
            selected.add(name);
        }
        String sobject = select.group(2);
        List<Map<String, Object>> records = object(sobject);
        if (records == null) {
            send(exchange, 400, List.of(error("sObject type '" + sobject + "' is not supported.", "INVALID_TYPE")));
            return null;
        }
        for (String field : selected) {
            String top = field.split("\\.")[0];
            if (!records.isEmpty() && records.stream().noneMatch(record -> record.containsKey(top))) {
                send(exchange, 400, List.of(error("No such column '" + field + "' on entity '" + sobject + "'.", "INVALID_FIELD")));
                return null;
            }
        }
        List<String> cursor = new ArrayList<>(selected);
        cursor.add(0, sobject);
        if (select.group(3) == null && select.group(4) == null) {
            return new Selection(cursor, null);
        }
        try {
            java.util.stream.Stream<Map<String, Object>> matching = records.stream();
            if (select.group(3) != null) {
                matching = matching.filter(SoqlFilter.where(select.group(3)));
            }
            if (select.group(4) != null) {
                matching = matching.sorted(SoqlFilter.orderBy(select.group(4)));
            }
            return new Selection(cursor, matching.map(record -> (Map<String, Object>) new LinkedHashMap<>(record)).toList());
        } catch (SoqlFilter.MalformedQueryException e) {
            send(exchange, 400, List.of(error(e.getMessage(), "MALFORMED_QUERY")));
            return null;
        }
    }

    private void page(HttpExchange exchange, String id, List<String> cursor, int offset, int batchSize, String path)
            throws IOException {
        String sobject = cursor.get(0);
        List<String> fields = cursor.subList(1, cursor.size());
        List<Map<String, Object>> all = snapshots.containsKey(id) ? snapshots.get(id) : List.copyOf(object(sobject));
        int end = Math.min(all.size(), offset + batchSize);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> record : all.subList(Math.min(offset, end), end)) {
            records.add(project(sobject, record, fields));
        }
        boolean done = end >= all.size() || firstBatchOnly;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", all.size());
        body.put("done", done);
        if (!done) {
            String version = path.replaceFirst("^(/services/data/v[0-9.]+)/.*$", "$1");
            body.put("nextRecordsUrl", version + "/query/" + id + "-" + end);
        }
        body.put("records", records);
        send(exchange, 200, body);
        if (done) {
            deletedAfterQuery.removeIf(record -> object(sobject).remove(record));
        }
    }

    private Map<String, Object> project(String sobject, Map<String, Object> record, List<String> fields) {
        Map<String, Object> projected = new LinkedHashMap<>();
        projected.put("attributes", Map.of("type", sobject, "url", "/services/data/v62.0/sobjects/" + sobject + "/"
                + record.getOrDefault("Id", "")));
        for (String field : fields) {
            String[] steps = field.split("\\.");
            if (steps.length == 1) {
                projected.put(field, record.get(field));
            } else if (record.get(steps[0]) instanceof Map<?, ?> || related(sobject, record, steps[0]) != null) {
                Map<?, ?> related = record.get(steps[0]) instanceof Map<?, ?> nestedRecord ? nestedRecord
                        : related(sobject, record, steps[0]);
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) projected.computeIfAbsent(steps[0],
                        key -> new LinkedHashMap<>(Map.of("attributes", Map.of("type", key))));
                nested.put(steps[1], related.get(steps[1]));
            } else {
                projected.put(steps[0], null);
            }
        }
        return projected;
    }

    /** The parent record a lookup of the record names through {@code relationship}; null where it names none. */
    private Map<String, Object> related(String sobject, Map<String, Object> record, String relationship) {
        Relationship declared = relationships.getOrDefault(key(sobject), Map.of()).get(relationship.toLowerCase(Locale.ROOT));
        Object id = declared == null ? null : record.get(declared.lookup());
        return id == null ? null : byId(declared.parent(), String.valueOf(id));
    }

    /** The batch size asked for (recorded as sent), within the 200 to 2,000 Salesforce keeps to. */
    private int batchSize(String options) {
        int size = 2000;
        if (options != null) {
            Matcher matcher = Pattern.compile("batchSize=(\\d+)").matcher(options);
            if (matcher.find()) {
                batchSizes.add(matcher.group(1));
                size = Math.max(200, Math.min(2000, Integer.parseInt(matcher.group(1))));
            }
        }
        return size;
    }

    private static Map<String, Object> error(String message, String code) {
        return Map.of("message", message, "errorCode", code);
    }

    private static Map<String, String> form(String raw) {
        return StubHttp.form(raw);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        Matcher data = DATA.matcher(exchange.getRequestURI().getPath());
        if (data.matches()) {
            exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiRequests.incrementAndGet() + "/" + DAILY_API_REQUESTS);
            calls.add(new Call(exchange.getRequestMethod(), data.group(2), status, 1));
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void sendText(HttpExchange exchange, int status, String contentType, String body, int records) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + ";charset=UTF-8");
        Matcher data = DATA.matcher(exchange.getRequestURI().getPath());
        exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiRequests.incrementAndGet() + "/" + DAILY_API_REQUESTS);
        calls.add(new Call(exchange.getRequestMethod(), data.matches() ? data.group(2) : exchange.getRequestURI().getPath(),
                status, records));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
