package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RateLimiter;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.RetryAfter;
import io.syncline.connector.spi.Watermark;
import io.syncline.model.FieldMapping;
import io.syncline.model.SystemMapping;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pulls a Salesforce object with one SOQL query through the REST API's query resource
 * ({@code GET /services/data/vXX.X/query?q=SELECT … FROM …}), following {@code nextRecordsUrl}
 * until Salesforce says {@code done}; {@code totalSize} is the total the source reports, which
 * the sanity check compares with what was pulled. Only the mapping's key and the fields it reads
 * are selected (the model allows nothing but API names there: SOQL has no bind parameters).
 * The page size goes as {@code Sforce-Query-Options: batchSize} (Salesforce takes 200 to 2,000 and
 * may answer with other sizes). The session is the org's component's ({@link SalesforceSessions}), so
 * that a pull and the org's writes and Bulk API jobs share one login; a session the API refuses
 * ({@code 401 INVALID_SESSION_ID}) is renewed once; {@code 403 REQUEST_LIMIT_EXCEEDED} (the org's API allowance spent) spends the
 * org's day at the {@link SalesforceCallGate gate}; 429 and 503
 * are waited out as {@code Retry-After} says. Every request, the login included, is reserved at
 * the gate first: a spent daily budget fails the side without a call, naming when calls resume.
 *
 * <p>A poll ({@link PullRequest#changes()}) reads the records changed after its watermark with the
 * same query, filtered and ordered by the modification time and the Id ({@link #changesSoql}), for
 * orgs or objects without Change Data Capture.
 *
 * <p>A system with {@code bulkAbove} whose first page reports a larger {@code totalSize} is read
 * through Bulk API 2.0 instead ({@link SalesforceBulkQuery}): the first page is set aside, and the
 * query runs as a query job whose CSV pages are staged as the same records, the fields the first
 * page gave as numbers or booleans read back from their text as such.
 */
public final class SalesforceRecordPuller implements RecordPuller {

    static final int MIN_BATCH = 200;
    static final int MAX_BATCH = 2000;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** How often a pull waiting for a spent budget asks the gate again. */
    static final Duration RECHECK = Duration.ofMinutes(1);

    private final HttpClient client;
    private final ObjectMapper mapper;
    private final SalesforceSessions sessions;
    private final SalesforceBulkQuery bulk;
    private final Duration recheck;

    public SalesforceRecordPuller(HttpClient client, ObjectMapper mapper, SalesforceSessions sessions) {
        this(client, mapper, sessions, null);
    }

    /** A puller that reads pulls above a system's {@code bulkAbove} through {@code bulk}. */
    public SalesforceRecordPuller(HttpClient client, ObjectMapper mapper, SalesforceSessions sessions, SalesforceBulkQuery bulk) {
        this(client, mapper, sessions, bulk, RECHECK);
    }

    /** @param recheck how often a pull waiting for a spent budget asks the gate again */
    public SalesforceRecordPuller(HttpClient client, ObjectMapper mapper, SalesforceSessions sessions, SalesforceBulkQuery bulk,
            Duration recheck) {
        this.client = client;
        this.mapper = mapper;
        this.sessions = sessions;
        this.bulk = bulk;
        this.recheck = recheck;
    }

    /** The SOQL query of a mapping: its key and every field it reads, each once. */
    static String soql(SystemMapping mapping) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(mapping.key().toLowerCase(Locale.ROOT), mapping.key());
        for (FieldMapping field : mapping.fields()) {
            if (field.direction().reads() && field.valuePath() != null) {
                // SOQL names are case-insensitive, and a field selected twice is a MALFORMED_QUERY.
                fields.putIfAbsent(field.valuePath().toLowerCase(Locale.ROOT), field.valuePath());
            }
        }
        return "SELECT " + String.join(", ", fields.values()) + " FROM " + SalesforceMappingSettings.of(mapping).sobject();
    }

    /**
     * The SOQL query of a poll: the mapping's records changed after the watermark, oldest first.
     * The watermark is the modification time ({@code SystemModstamp}) and the {@code Id} of the last
     * record read: a mass update stamps thousands of records with one second, and the Id orders
     * those, so a page boundary inside that second loses none and reads none twice.
     */
    static String changesSoql(SystemMapping mapping, PullRequest.Changes changes) {
        String at = changes.path();
        String id = mapping.key();
        StringBuilder query = new StringBuilder(soql(mapping));
        Watermark after = changes.after();
        if (after != null) {
            // SOQL's dateTime literal has no fraction; the API's datetimes are whole seconds.
            String instant = DateTimeFormatter.ISO_INSTANT.format(after.at().truncatedTo(ChronoUnit.SECONDS));
            query.append(" WHERE ").append(at).append(" > ").append(instant);
            if (after.key() != null) {
                query.append(" OR (").append(at).append(" = ").append(instant).append(" AND ").append(id).append(" > ")
                        .append(literal(after.key().toString())).append(')');
            }
        }
        return query.append(" ORDER BY ").append(at).append(", ").append(id).toString();
    }

    /** A SOQL string literal: quotes and backslashes escaped as SOQL reads them. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public PullResult pull(PullRequest request, PageSink sink) throws PullException {
        if (request.keys() != null) {
            throw new PullException(request.systemName() + ": a Salesforce object is pulled whole or by changes, not by key");
        }
        SalesforceSettings system = SalesforceSettings.of(request.system());
        RateLimiter limiter = RateLimiter.of(system.rateLimit());
        String batchSize = "batchSize=" + Math.max(MIN_BATCH, Math.min(MAX_BATCH, request.pageSize()));
        String query = "/services/data/v" + system.apiVersionOrDefault() + "/query?q="
                + URLEncoder.encode(request.changes() == null ? soql(request.mapping())
                        : changesSoql(request.mapping(), request.changes()), StandardCharsets.UTF_8);
        String next = query;
        Set<String> visited = new HashSet<>();
        long pages = 0;
        long records = 0;
        Long total = null;
        while (next != null) {
            if (!visited.add(next)) {
                return PullResult.endedEarly(pages, records, total, "Salesforce's nextRecordsUrl did not advance: page "
                        + (pages + 1) + " is " + next + " again");
            }
            JsonNode body = fetch(request, system, limiter, next, batchSize, pages + 1, new BudgetWait(request, sink));
            JsonNode items = body.get("records");
            if (items == null || !items.isArray()) {
                throw new PullException(request.systemName() + ": page " + (pages + 1) + " of the query has no records array");
            }
            if (total == null && body.path("totalSize").canConvertToLong()) {
                total = body.get("totalSize").asLong();
                if (bulk != null && request.changes() == null && system.bulkAbove() != null && total > system.bulkAbove()) {
                    return bulkPull(request, system, typedFields(items), sink);
                }
            }
            List<Map<String, Object>> page = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = mapper.convertValue(withoutAttributes(item), Map.class);
                page.add(record);
            }
            if (!page.isEmpty()) {
                pages++;
                records += page.size();
                try {
                    sink.accept(page);
                } catch (Exception e) {
                    throw new PullException(request.systemName() + ": staging page " + pages + " failed: " + e.getMessage(), e);
                }
            }
            if (body.path("done").asBoolean(false)) {
                return PullResult.complete(pages, records, total);
            }
            next = text(body, "nextRecordsUrl");
            if (next == null) {
                return PullResult.endedEarly(pages, records, total,
                        "Salesforce answered done=false without a nextRecordsUrl after page " + (pages + 1));
            }
        }
        return PullResult.complete(pages, records, total);
    }

    /**
     * The fields (a relationship's as {@code Account.Name}) whose values on the first REST page are
     * numbers or booleans: CSV gives them as text, which is read back as the JSON they were.
     */
    private static Set<String> typedFields(JsonNode records) {
        Set<String> typed = new HashSet<>();
        for (JsonNode record : records) {
            record.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber() || field.getValue().isBoolean()) {
                    typed.add(field.getKey());
                } else if (field.getValue().isObject()) {
                    field.getValue().fields().forEachRemaining(nested -> {
                        if (nested.getValue().isNumber() || nested.getValue().isBoolean()) {
                            typed.add(field.getKey() + "." + nested.getKey());
                        }
                    });
                }
            });
        }
        return typed;
    }

    /** A record of a CSV page with its numbers and booleans as the REST query's JSON gives them. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> typed(Map<String, Object> record, Set<String> typed) throws IOException {
        for (String path : typed) {
            int dot = path.indexOf('.');
            Map<String, Object> holder = dot < 0 ? record
                    : record.get(path.substring(0, dot)) instanceof Map<?, ?> related ? (Map<String, Object>) related : null;
            String field = dot < 0 ? path : path.substring(dot + 1);
            if (holder != null && holder.get(field) instanceof String text) {
                holder.put(field, mapper.readValue(text, Object.class));
            }
        }
        return record;
    }

    private PullResult bulkPull(PullRequest request, SalesforceSettings system, Set<String> typedFields, PageSink sink)
            throws PullException {
        String name = request.systemName();
        long[] pages = {0};
        try {
            SalesforceBulkQuery.Result result = bulk.query(new SalesforceClient.Target(name, system,
                    SalesforceMappingSettings.of(request.mapping()).sobject()),
                    soql(request.mapping()), Math.max(1, request.pageSize()), page -> {
                        pages[0]++;
                        List<Map<String, Object>> records = new ArrayList<>(page.size());
                        for (Map<String, Object> record : page) {
                            records.add(typed(record, typedFields));
                        }
                        sink.accept(records);
                    });
            return PullResult.complete(pages[0], result.records(), result.reported());
        } catch (SalesforceBudgetSpentException e) {
            throw new PullException(e.getMessage(), e);
        } catch (SalesforceCallException e) {
            throw new PullException(name + ": the Bulk API 2.0 query failed: " + e.getMessage(), e);
        } catch (SalesforceBulkQuery.SinkFailedException e) {
            throw new PullException(name + ": staging page " + pages[0] + " failed: " + e.getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(name + ": interrupted while its Bulk API 2.0 query ran", e);
        }
    }

    private JsonNode fetch(PullRequest request, SalesforceSettings system, RateLimiter limiter, String path, String batchSize,
            long pageNumber, BudgetWait wait) throws PullException {
        SalesforceSessions.Session session = session(request, system, wait, null);
        boolean renewed = false;
        try {
            for (int attempt = 1;; attempt++) {
                if (limiter != null) {
                    limiter.acquire();
                }
                reserve(request, system, wait);
                HttpRequest get = HttpRequest.newBuilder(session.instanceUrl().resolve(URI.create(path)))
                        .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + session.accessToken())
                        .header("Accept", "application/json").header("Sforce-Query-Options", batchSize).GET().build();
                HttpResponse<byte[]> response;
                try {
                    response = client.send(get, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    sessions.gate().answered(request.systemName(), "unreachable: " + e.getMessage());
                    throw e;
                }
                int status = response.statusCode();
                sessions.gate().answered(request.systemName(), status >= 500 ? "Salesforce answered HTTP " + status : null);
                if ((status == 429 || status == 503) && attempt <= RetryAfter.PULL_RETRIES) {
                    Thread.sleep(RetryAfter.ofPull(response).toMillis());
                    continue;
                }
                JsonNode body = parse(response.body());
                if (status == 401 && !renewed) {
                    // INVALID_SESSION_ID: the session timed out or was revoked; log in once more.
                    session = session(request, system, wait, session);
                    renewed = true;
                    continue;
                }
                if (status / 100 != 2) {
                    SalesforceBudgetSpentException spent = limitReached(request, system, body);
                    if (spent != null && wait.allowed()) {
                        // The org's day is spent at the gate: wait for it, then ask for this page again.
                        wait.waitOut(spent);
                        attempt = 0;
                        continue;
                    }
                    throw failure(request, status, body, pageNumber, spent != null);
                }
                if (body == null) {
                    throw new PullException(request.systemName() + ": page " + pageNumber + " of the query is not JSON");
                }
                return body;
            }
        } catch (IOException e) {
            throw new PullException(request.systemName() + ": page " + pageNumber + " of the query failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(request.systemName() + ": interrupted on page " + pageNumber, e);
        }
    }

    /** The org's session, or a new one where {@code rejected} was refused. */
    private SalesforceSessions.Session session(PullRequest request, SalesforceSettings system, BudgetWait wait,
            SalesforceSessions.Session rejected) throws PullException {
        while (true) {
            try {
                return rejected == null ? sessions.session(request.systemName(), system)
                        : sessions.renew(request.systemName(), system, rejected);
            } catch (SalesforceLoginException e) {
                throw new PullException(e.getMessage(), e);
            } catch (SalesforceBudgetSpentException e) {
                wait.waitOut(e);
            }
        }
    }

    private void reserve(PullRequest request, SalesforceSettings system, BudgetWait wait) throws PullException {
        while (true) {
            try {
                sessions.gate().reserve(request.systemName(), system, "query");
                wait.over();
                return;
            } catch (SalesforceBudgetSpentException e) {
                wait.waitOut(e);
            }
        }
    }

    /** The org said {@code REQUEST_LIMIT_EXCEEDED}: its day is spent at the gate, and this is the failure to wait out. */
    private SalesforceBudgetSpentException limitReached(PullRequest request, SalesforceSettings system, JsonNode body) {
        JsonNode first = body != null && body.isArray() && !body.isEmpty() ? body.get(0) : body;
        if (first == null || !"REQUEST_LIMIT_EXCEEDED".equals(text(first, "errorCode"))) {
            return null;
        }
        String message = text(first, "message");
        return sessions.gate().limitReached(request.systemName(), system,
                "REQUEST_LIMIT_EXCEEDED" + (message == null ? "" : ": " + message));
    }

    /** Salesforce's error body is an array of {@code {"message", "errorCode"}}. */
    private PullException failure(PullRequest request, int status, JsonNode body, long pageNumber, boolean limitReached) {
        JsonNode first = body != null && body.isArray() && !body.isEmpty() ? body.get(0) : body;
        String code = first == null ? null : text(first, "errorCode");
        String message = first == null ? null : text(first, "message");
        String said = (code == null ? "HTTP " + status : code) + (message == null ? "" : ": " + message);
        if (limitReached) {
            return new PullException(request.systemName() + ": the org's API request allowance is spent (" + said
                    + "); the pull stops at page " + pageNumber + " and is tried again at the next run");
        }
        return new PullException(request.systemName() + ": page " + pageNumber + " of the query answered HTTP " + status
                + " (" + said + ")");
    }

    /** A record without Salesforce's {@code attributes} (type and URL), in nested relationship records too. */
    private static JsonNode withoutAttributes(JsonNode record) {
        if (record instanceof ObjectNode object) {
            object.remove("attributes");
            object.forEach(SalesforceRecordPuller::withoutAttributes);
        }
        return record;
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }

    /**
     * A pull's patience with a spent budget: as long as its sink allows, counted from the first
     * refusal; the sink is told while it waits and when it goes on.
     */
    private final class BudgetWait {

        private final PullRequest request;
        private final PageSink sink;
        private final Duration longest;
        private long since = -1;

        BudgetWait(PullRequest request, PageSink sink) {
            this.request = request;
            this.sink = sink;
            Duration allowed = sink.longestBudgetWait();
            this.longest = allowed == null || allowed.isNegative() ? Duration.ZERO : allowed;
        }

        boolean allowed() {
            return !longest.isZero();
        }

        /** Waits a while for the budget, or fails the pull when it may wait no longer. */
        void waitOut(SalesforceBudgetSpentException spent) throws PullException {
            long now = System.nanoTime();
            if (since < 0) {
                since = now;
            }
            Duration waited = Duration.ofNanos(now - since);
            if (!allowed() || waited.compareTo(longest) >= 0) {
                if (allowed()) {
                    sink.waiting(null, null);
                    throw new PullException("deferred: " + spent.getMessage() + "; the pull waited " + longest
                            + ", as long as it may", spent);
                }
                throw new PullException(spent.getMessage(), spent);
            }
            sink.waiting(spent.until(), spent.getMessage());
            Duration pause = longest.minus(waited);
            try {
                Thread.sleep(Math.max(1, Math.min(recheck.toMillis(), pause.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PullException(request.systemName() + ": interrupted while waiting for its call budget", e);
            }
        }

        /** A call was reserved: a wait, if there was one, is over. */
        void over() {
            if (since >= 0) {
                since = -1;
                sink.waiting(null, null);
            }
        }
    }
}
