package io.syncline.connector.mongodb;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mongodb.MongoDbConstants;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One collection of a MongoDB system, through Camel's MongoDB component (its {@code endpoint}, a
 * {@code mongodb:} URI naming the database and collection): a record is a document whose
 * {@code _id} is the record's key, so a write is {@code save} (a replace that inserts where the key
 * is new: an upsert, idempotent), a delete is {@code remove} by {@code _id}, and a page is a
 * {@code findAll} after the last key read, in key order.
 */
final class MongoCollection {

    static final String ID = "_id";

    private final ProducerTemplate producer;
    private final String endpoint;
    private final String key;

    /** @param key the mapping's key: the path of the record's key, held as {@code _id} */
    MongoCollection(ProducerTemplate producer, String endpoint, String key) {
        this.producer = producer;
        this.endpoint = endpoint;
        this.key = key;
    }

    /** Writes {@code row} as the document of key {@code id}, whether or not it was there. */
    void save(String id, Map<String, Object> row) {
        Document document = new Document(ID, id);
        row.forEach((field, value) -> {
            if (!field.equals(key) && !field.equals(ID)) {
                document.put(field, value);
            }
        });
        producer.sendBodyAndHeader(endpoint, document, MongoDbConstants.OPERATION_HEADER, "save");
    }

    /** Removes the document of key {@code id}; false when there was none. */
    boolean remove(String id) {
        Exchange removed = producer.request(endpoint, exchange -> {
            exchange.getIn().setBody(Filters.eq(ID, id));
            exchange.getIn().setHeader(MongoDbConstants.OPERATION_HEADER, "remove");
        });
        if (removed.getException() != null) {
            throw new IllegalStateException("Removing " + id + " failed: " + removed.getException().getMessage(),
                    removed.getException());
        }
        Number affected = removed.getMessage().getHeader(MongoDbConstants.RECORDS_AFFECTED, Number.class);
        return affected == null || affected.longValue() > 0;
    }

    /** The record of key {@code id}, or null when it has none. */
    Map<String, Object> find(String id) {
        List<Map<String, Object>> found = find(Filters.eq(ID, id), Sorts.ascending(ID), 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /** At most {@code limit} records matching {@code filter}, in {@code order}, each with its key under the mapping's key. */
    List<Map<String, Object>> find(Bson filter, Bson order, int limit) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(MongoDbConstants.OPERATION_HEADER, "findAll");
        headers.put(MongoDbConstants.SORT_BY, order);
        headers.put(MongoDbConstants.LIMIT, limit);
        headers.put(MongoDbConstants.CRITERIA, filter);
        List<?> documents = producer.requestBodyAndHeaders(endpoint, null, headers, List.class);
        List<Map<String, Object>> records = new ArrayList<>(documents.size());
        for (Object each : documents) {
            records.add(record((Document) each));
        }
        return records;
    }

    private Map<String, Object> record(Document document) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put(key, document.get(ID));
        document.forEach((field, value) -> {
            if (!field.equals(ID)) {
                record.put(field, value instanceof java.util.Date date ? date.toInstant().toString() : value);
            }
        });
        return record;
    }
}
