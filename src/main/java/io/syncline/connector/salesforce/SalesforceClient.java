package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Calls to one org's REST API through its {@link SalesforceComponents component}, with raw JSON
 * payloads (the records as the field contract maps them, no generated classes): one record
 * created, updated, upserted by an external id or deleted ({@code createSObject},
 * {@code updateSObject}, {@code upsertSObject}, {@code deleteSObject}), fetched by its Id or an
 * external id ({@code getSObject}, {@code getSObjectWithId}), or up to {@value #COLLECTION_LIMIT} records in one sObject Collections
 * call ({@code /composite/sobjects}, {@code allOrNone=false}) with each record's result of its own.
 *
 * <p>A call that fails as a whole throws {@link SalesforceCallException} with Salesforce's
 * errorCode; the component has already logged in again once on {@code 401 INVALID_SESSION_ID}.
 */
public final class SalesforceClient {

    /** Records in one sObject Collections call, as Salesforce allows. */
    public static final int COLLECTION_LIMIT = 200;

    private final ProducerTemplate producer;
    private final SalesforceComponents components;
    private final ObjectMapper json;

    private final SalesforceCallGate gate;

    public SalesforceClient(ProducerTemplate producer, SalesforceComponents components, ObjectMapper json) {
        this(producer, components, json, SalesforceCallGate.OPEN);
    }

    public SalesforceClient(ProducerTemplate producer, SalesforceComponents components, ObjectMapper json, SalesforceCallGate gate) {
        this.producer = producer;
        this.components = components;
        this.json = json;
        this.gate = gate;
    }

    /** An org and the object of the entity there. */
    /** The org's components, for the streaming consumers that read its change events. */
    SalesforceComponents components() {
        return components;
    }

    public record Target(String system, SalesforceSettings settings, String sobject) {
    }

    /** {@code POST /sobjects/{sobject}}: 201 with the new id. */
    public SaveResult create(Target target, Map<String, Object> row) throws SalesforceCallException {
        JsonNode answer = call(target, "createSObject", Map.of("sObjectName", target.sobject()), row);
        return SaveResult.saved(answer.path("id").asText(null), true);
    }

    /** {@code PATCH /sobjects/{sobject}/{id}}: 204. */
    public void update(Target target, String id, Map<String, Object> row) throws SalesforceCallException {
        call(target, "updateSObject", Map.of("sObjectName", target.sobject(), "sObjectId", id), row);
    }

    /**
     * {@code PATCH /sobjects/{sobject}/{field}/{value}}: 201 created, 200 (or 204 before API 46.0)
     * updated; 300 when several records hold the value, which is thrown.
     */
    public SaveResult upsert(Target target, String field, String value, Map<String, Object> row) throws SalesforceCallException {
        JsonNode answer = call(target, "upsertSObject", Map.of("sObjectName", target.sobject(), "sObjectIdName", field,
                "sObjectIdValue", value), row);
        return SaveResult.saved(answer.path("id").asText(null), answer.path("created").asBoolean(false));
    }

    /** {@code DELETE /sobjects/{sobject}/{id}}: 204; false when the record was gone already. */
    public boolean delete(Target target, String id) throws SalesforceCallException {
        try {
            call(target, "deleteSObject", Map.of("sObjectName", target.sobject(), "sObjectId", id), null);
            return true;
        } catch (SalesforceCallException e) {
            if (gone(e.status(), e.errorCode())) {
                return false;
            }
            throw e;
        }
    }

    /** {@code GET /sobjects/{sobject}/{id}?fields=…}: the record's fields; empty when it has none. */
    public Optional<Map<String, Object>> fetch(Target target, String id, List<String> fields) throws SalesforceCallException {
        return fetched(target, "getSObject", Map.of("sObjectName", target.sobject(), "sObjectId", id,
                "sObjectFields", String.join(",", fields)), fields);
    }

    /**
     * {@code GET /sobjects/{sobject}/{field}/{value}} (sObject Rows by External ID): the record whose
     * external id {@code field} holds {@code value}, with these of its fields (the resource answers all);
     * empty when none does; 300 when several do, which is thrown.
     */
    public Optional<Map<String, Object>> fetchByExternalId(Target target, String field, String value, List<String> fields)
            throws SalesforceCallException {
        return fetched(target, "getSObjectWithId", Map.of("sObjectName", target.sobject(), "sObjectIdName", field,
                "sObjectIdValue", value), fields);
    }

    /** {@code GET /limits}: the org's limits, each {@code {"Max", "Remaining"}}; proves a session can be had. */
    public JsonNode limits(Target target) throws SalesforceCallException {
        return call(target, "limits", Map.of(), null);
    }

    /** {@code GET /sobjects/{sobject}/describe}: the object's fields and what each allows. */
    public JsonNode describe(Target target) throws SalesforceCallException {
        return call(target, "getDescription", Map.of("sObjectName", target.sobject()), null);
    }

    /** {@code GET /tooling/query?q=…}: a Tooling API query's answer, its {@code records}. */
    public JsonNode toolingQuery(Target target, String soql) throws SalesforceCallException {
        return raw(target, "GET", "/services/data/v" + target.settings().apiVersionOrDefault() + "/tooling/query?q="
                + java.net.URLEncoder.encode(soql, java.nio.charset.StandardCharsets.UTF_8), null);
    }

    /** A Salesforce record Id: 15 characters, or 18 with its case-safe suffix. */
    private static final java.util.regex.Pattern RECORD_ID = java.util.regex.Pattern.compile("[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?");

    /**
     * The record whose mapping key {@code key} holds {@code value}: by its Id where the key is
     * {@code Id}, else by the external id field. A value of an external id no record holds that has
     * the shape of a record Id is looked up as one too: the ID map links the records Syncline
     * created in the org by the Id Salesforce gave them, whatever the mapping's key.
     */
    public Optional<Map<String, Object>> fetchByKey(Target target, String key, String value, List<String> fields)
            throws SalesforceCallException {
        if ("Id".equalsIgnoreCase(key)) {
            return fetch(target, value, fields);
        }
        Optional<Map<String, Object>> found = fetchByExternalId(target, key, value, fields);
        return found.isEmpty() && RECORD_ID.matcher(value).matches() ? fetch(target, value, fields) : found;
    }

    private Optional<Map<String, Object>> fetched(Target target, String operation, Map<String, Object> headers, List<String> fields)
            throws SalesforceCallException {
        try {
            JsonNode answer = call(target, operation, headers, null);
            @SuppressWarnings("unchecked")
            Map<String, Object> record = json.convertValue(answer, Map.class);
            // field names are case-insensitive in Salesforce, which answers each as the object spells it
            Set<String> wanted = fields.stream().map(field -> field.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            record.keySet().removeIf(field -> !wanted.contains(field.toLowerCase(Locale.ROOT)));
            return Optional.of(record);
        } catch (SalesforceCallException e) {
            if (gone(e.status(), e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The operations an sObject Collections call makes. */
    public enum Collection {
        CREATE, UPDATE, UPSERT, DELETE
    }

    /**
     * One sObject Collections call of at most {@value #COLLECTION_LIMIT} records, {@code allOrNone=false}:
     * each record's result, in the order of {@code records}. An update's records carry their
     * {@code Id}; an upsert's their value of {@code field}; a delete's records are their ids alone.
     */
    public List<SaveResult> collection(Target target, Collection operation, String field, List<Map<String, Object>> records)
            throws SalesforceCallException {
        if (records.size() > COLLECTION_LIMIT) {
            throw new IllegalArgumentException(records.size() + " records in one collection call; Salesforce takes " + COLLECTION_LIMIT);
        }
        String base = "/services/data/v" + target.settings().apiVersionOrDefault() + "/composite/sobjects";
        String path;
        String method;
        ObjectNode body = null;
        if (operation == Collection.DELETE) {
            List<String> ids = records.stream().map(record -> String.valueOf(record.get("Id"))).toList();
            path = base + "?allOrNone=false&ids=" + String.join(",", ids);
            method = "DELETE";
        } else {
            body = json.createObjectNode();
            body.put("allOrNone", false);
            ArrayNode list = body.putArray("records");
            for (Map<String, Object> record : records) {
                ObjectNode node = list.addObject();
                node.putObject("attributes").put("type", target.sobject());
                node.setAll((ObjectNode) json.valueToTree(record));
            }
            path = operation == Collection.UPSERT ? base + "/" + target.sobject() + "/" + field : base;
            method = operation == Collection.CREATE ? "POST" : "PATCH";
        }
        JsonNode answer = raw(target, method, path, body);
        List<SaveResult> results = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode result = answer.path(i);
            if (result.path("success").asBoolean(false)) {
                results.add(SaveResult.saved(result.path("id").asText(null),
                        operation == Collection.CREATE || result.path("created").asBoolean(false)));
                continue;
            }
            // a SaveResult's errors name their code statusCode, not errorCode as a call's errors do
            JsonNode error = result.path("errors").path(0);
            String code = error.path("statusCode").asText(error.path("errorCode").asText("UNKNOWN_ERROR"));
            if (operation == Collection.DELETE && gone(404, code)) {
                results.add(SaveResult.failed(code, "already deleted"));
            } else {
                results.add(SaveResult.failed(code, error.path("message").asText(result.isMissingNode()
                        ? "Salesforce answered no result for this record" : "")));
            }
        }
        return results;
    }

    /** A record Salesforce no longer has: a delete of it is done. */
    static boolean gone(int status, String errorCode) {
        return status == 404 || "ENTITY_IS_DELETED".equals(errorCode) || "NOT_FOUND".equals(errorCode);
    }

    private JsonNode call(Target target, String operation, Map<String, Object> headers, Map<String, Object> row)
            throws SalesforceCallException {
        String uri = components.scheme(target.system(), target.settings()) + ":" + operation + "?rawPayload=true&apiVersion="
                + target.settings().apiVersionOrDefault();
        return answer(producer.send(uri, exchange -> {
            exchange.getIn().setHeaders(new HashMap<>(headers));
            exchange.getIn().setBody(row == null ? null : json.writeValueAsString(row));
        }), target, operation);
    }

    /**
     * One call of a component operation ({@code bulk2GetQueryJob}) with these headers and body: the
     * answered exchange's message, its body as the operation gives it and Salesforce's response
     * headers among its headers.
     */
    org.apache.camel.Message operation(Target target, String operation, Map<String, Object> headers, Object body)
            throws SalesforceCallException {
        String uri = components.scheme(target.system(), target.settings()) + ":" + operation + "?apiVersion="
                + target.settings().apiVersionOrDefault();
        Exchange done = producer.send(uri, exchange -> {
            exchange.getIn().setHeaders(new HashMap<>(headers));
            exchange.getIn().setBody(body);
        });
        if (done.getException() != null) {
            throw refusedOrFailed(target, operation, done.getException());
        }
        return done.getMessage();
    }

    private JsonNode raw(Target target, String method, String path, JsonNode body) throws SalesforceCallException {
        String uri = components.scheme(target.system(), target.settings()) + ":raw?format=JSON&apiVersion="
                + target.settings().apiVersionOrDefault();
        return answer(producer.send(uri, exchange -> {
            exchange.getIn().setHeader("rawPath", path);
            exchange.getIn().setHeader("rawMethod", method);
            exchange.getIn().setBody(body == null ? null : json.writeValueAsString(body));
        }), target, method + " " + path.replaceFirst("\\?.*$", ""));
    }

    private JsonNode answer(Exchange done, Target target, String call) throws SalesforceCallException {
        Exception failure = done.getException();
        if (failure != null) {
            throw refusedOrFailed(target, call, failure);
        }
        String body = done.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new SalesforceCallException(0, null, call + ": Salesforce answered what is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A failed call's exception. A call the budget refused was never sent, and one that Salesforce
     * refused with {@code REQUEST_LIMIT_EXCEEDED} spends the org's day: both throw
     * {@link SalesforceBudgetSpentException}, so that the work waits for the next UTC midnight.
     */
    SalesforceCallException refusedOrFailed(Target target, String call, Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceBudgetSpentException spent) {
                throw new SalesforceBudgetSpentException(spent.system(), spent.until(), call + ": " + spent.getMessage());
            }
        }
        SalesforceCallException failed = failed(call, failure);
        if ("REQUEST_LIMIT_EXCEEDED".equals(failed.errorCode())) {
            throw gate.limitReached(target.system(), target.settings(), failed.getMessage());
        }
        return failed;
    }

    /** Salesforce's errors as a call's exception: the component's parsed errors, or a raw call's error body. */
    private SalesforceCallException failed(String call, Exception failure) {
        SalesforceException salesforce = find(failure);
        if (salesforce == null) {
            return new SalesforceCallException(0, null, call + ": " + failure.getMessage(), failure);
        }
        String code = null;
        String message = salesforce.getMessage();
        List<RestError> errors = salesforce.getErrors();
        if (errors != null && !errors.isEmpty()) {
            code = errors.get(0).getErrorCode();
            message = errors.get(0).getMessage();
        } else if (message != null && message.trim().startsWith("[")) {
            // a raw call's exception carries the error body as its message
            try {
                JsonNode error = json.readTree(message).path(0);
                code = error.path("errorCode").asText(null);
                message = error.path("message").asText(message);
            } catch (IOException unreadable) {
                // keep the body as the message
            }
        }
        return new SalesforceCallException(salesforce.getStatusCode(), code, call + ": " + (code == null ? "" : code + ": ")
                + message, failure);
    }

    private static SalesforceException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException salesforce) {
                return salesforce;
            }
        }
        return null;
    }
}
