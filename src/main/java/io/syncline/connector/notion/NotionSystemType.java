package io.syncline.connector.notion;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSettings;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.RetryAfter;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * System type {@code notion}: one database of a Notion workspace, through Notion's API version
 * 2025-09-03. The preset ({@code presets/notion.yaml}) fixes what Notion fixes for every workspace (the
 * bearer token and the {@code Notion-Version} header, pages at {@code /pages/{id}} updated by
 * {@code PATCH} with their {@code properties}, the rate limit, webhooks signed in
 * {@code X-Notion-Signature} whose page is fetched); this plug-in does what data cannot say:
 * <ul>
 *   <li>the database ({@code settings.database}) is a container of data sources: its data source is
 *   found once ({@code GET /databases/{id}}: its only one, or the one {@code settings.dataSource}
 *   names), and with it the type of each property ({@code GET /data_sources/{id}});</li>
 *   <li>a page's properties are typed objects: each is read as its plain value beside the page's
 *   {@code id}, {@code last_edited_time} and {@code in_trash} ({@link NotionProperties#plain}), and a
 *   mapping's values are written as the objects their property's type takes
 *   ({@link NotionProperties#typed}), so a mapping's path is a property's name ({@code Name},
 *   {@code Email});</li>
 *   <li>the pages are listed by the data source's query, {@code POST /data_sources/{id}/query} with
 *   the page size and cursor in its body, to the page whose {@code has_more} is false; a 429 waited out
 *   as its {@code Retry-After} says;</li>
 *   <li>a page is created at {@code POST /pages} in the database ({@code {"parent": {"type":
 *   "database_id", …}, "properties"}}), or in its data source where the database has several; a delete
 *   moves the page to the trash ({@code PATCH /pages/{id}} {@code {"in_trash": true}}), as the API
 *   deletes no page.</li>
 * </ul>
 * The query could select changes by {@code last_edited_time}, but through a filter in its body, not
 * the modified-since parameter REST polling sends: a page's changes come by its webhook events.
 */
@Singleton
public class NotionSystemType extends RestPresetType {

    public static final String NAME = "notion";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES));

    /** The system's setting naming its database: the id in the database's URL. */
    static final String DATABASE = "database";
    /** The system's setting naming which of the database's data sources it is, where it has several. */
    static final String DATA_SOURCE = "dataSource";
    private static final String PROPERTIES = "properties";
    /** A page's own members read beside its properties. */
    private static final Set<String> BESIDE = Set.of("id", "created_time", "last_edited_time", "in_trash", "archived", "url");

    /** The database's data source and its properties' types, by system and settings, as found once. */
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    /** A database's data source: its id, whether it is the database's only one, and each property's type by name. */
    record Source(String database, String dataSource, boolean only, Map<String, String> types) {
    }

    public NotionSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code {"id", "properties": {"Name": {"type": "title", …}}}} as {@code {"id", "Name": "…"}}. */
    @Override
    protected Map<String, Object> read(Map<String, Object> page) {
        if (!(page.get(PROPERTIES) instanceof Map<?, ?> properties)) {
            return page;
        }
        Map<String, Object> read = new LinkedHashMap<>();
        properties.forEach((name, property) -> read.put(String.valueOf(name), NotionProperties.plain(property)));
        page.forEach((name, value) -> {
            if (BESIDE.contains(name)) {
                read.put(name, value);
            }
        });
        return read;
    }

    /** {@code POST /pages} {@code {"parent", "properties"}}; the new page's id from the answer. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        Source source = source(target);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parent", source.only() ? Map.of("type", "database_id", "database_id", source.database())
                : Map.of("type", "data_source_id", "data_source_id", source.dataSource()));
        body.put(PROPERTIES, typed(target, source, row));
        Map<String, Object> answer = answer(target, "POST /pages", client().call(target, "POST", target.at("/pages"), body,
                status -> false));
        Object id = answer.get("id");
        if (id == null) {
            throw new TargetRejectedException(system, 200, null, "POST /pages answered without the new page's id");
        }
        return id.toString();
    }

    /** {@code PATCH /pages/{id}} {@code {"properties": {…}}}: only the properties sent change. */
    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        rest().update(entity, system, id, typed(target, source(target), row));
    }

    /** {@code PATCH /pages/{id}} {@code {"in_trash": true}}; false where the page is gone already (404). */
    @Override
    public boolean delete(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        return client().call(target, "PATCH", target.item(id), Map.of("in_trash", true), status -> status == 404)
                .statusCode() != 404;
    }

    /** The row's properties as the objects their types take; a value whose property the data source lacks is sent as it is. */
    private Map<String, Object> typed(RestTarget target, Source source, Map<String, Object> row) {
        Source known = source;
        if (!known.types().keySet().containsAll(row.keySet())) {
            // a property added since the schema was read
            sources.remove(key(target));
            known = source(target);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : row.entrySet()) {
            if (field.getKey().equals(target.keyPath())) {
                continue;
            }
            String type = known.types().get(field.getKey());
            properties.put(field.getKey(), type == null ? field.getValue() : NotionProperties.typed(type, field.getValue()));
        }
        return properties;
    }

    /** The system's data source, found once: {@code GET /databases/{id}}, then {@code GET /data_sources/{id}} for its schema. */
    Source source(RestTarget target) {
        return sources.computeIfAbsent(key(target), key -> find(target));
    }

    private static String key(RestTarget target) {
        Map<String, String> settings = target.definition().settings();
        return target.system() + " " + target.definition().baseUrl() + " " + settings.get(DATABASE) + " " + settings.get(DATA_SOURCE);
    }

    private Source find(RestTarget target) {
        Map<String, String> settings = target.definition().settings();
        String database = settings.get(DATABASE);
        if (database == null || database.isBlank()) {
            throw new TargetRejectedException(target.system(), 0, null, target.system() + " names no database: set its"
                    + " settings.database to the id in the database's URL");
        }
        Map<String, Object> container = answer(target, "GET /databases/" + database,
                client().call(target, "GET", target.at("/databases/" + segment(database)), null, status -> false));
        List<Map<String, Object>> dataSources = records(container.get("data_sources"));
        String wanted = settings.get(DATA_SOURCE);
        List<String> ids = dataSources.stream().map(dataSource -> String.valueOf(dataSource.get("id"))).toList();
        String dataSource;
        if (wanted != null) {
            if (!ids.contains(wanted)) {
                throw new TargetRejectedException(target.system(), 0, null, "The database " + database + " has no data source "
                        + wanted + "; it has " + ids);
            }
            dataSource = wanted;
        } else if (ids.size() == 1) {
            dataSource = ids.get(0);
        } else {
            throw new TargetRejectedException(target.system(), 0, null, "The database " + database + " has " + ids.size()
                    + " data sources " + ids + ": name one as the system's settings.dataSource");
        }
        Map<String, Object> schema = answer(target, "GET /data_sources/" + dataSource,
                client().call(target, "GET", target.at("/data_sources/" + segment(dataSource)), null, status -> false));
        Map<String, String> types = new LinkedHashMap<>();
        if (schema.get(PROPERTIES) instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> {
                if (property instanceof Map<?, ?> described && described.get("type") != null) {
                    types.put(String.valueOf(name), described.get("type").toString());
                }
            });
        }
        return new Source(database, dataSource, ids.size() == 1, Map.copyOf(types));
    }

    /**
     * Every page of the data source: {@code POST /data_sources/{id}/query} with the page size, then the
     * answer's cursor, in the body, to the page whose {@code has_more} is false.
     */
    @Override
    protected PullResult pull(RecordPuller pages, PullRequest request, PageSink sink) throws PullException {
        if (request.keys() != null || request.changes() != null) {
            throw new PullException(request.systemName() + ": a Notion data source is pulled whole, not by key or by change");
        }
        RestTarget target = target(request.entity(), request.systemName());
        RestSettings.Pagination pagination = target.definition().pagination();
        int pageSize = pagination.pageSize() == null ? request.pageSize() : Math.min(request.pageSize(), pagination.pageSize());
        URI query;
        try {
            query = target.at("/data_sources/" + segment(source(target).dataSource()) + "/query");
        } catch (RuntimeException e) {
            throw new PullException(request.systemName() + ": finding the database's data source failed: " + e.getMessage(), e);
        }
        long pageCount = 0;
        long recordCount = 0;
        String cursor = null;
        while (true) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(pagination.limitParam(), pageSize);
            if (cursor != null) {
                body.put(pagination.cursorParam(), cursor);
            }
            Map<String, Object> answer = page(target, query, body, request, pageCount + 1);
            List<Map<String, Object>> records = records(answer.get(pagination.itemsField()));
            try {
                sink.accept(records);
            } catch (Exception e) {
                throw new PullException(request.systemName() + ": staging page " + (pageCount + 1) + " failed: " + e.getMessage(), e);
            }
            pageCount++;
            recordCount += records.size();
            Object next = answer.get(pagination.cursorField());
            if (!Boolean.TRUE.equals(answer.get(pagination.moreField()))) {
                return PullResult.complete(pageCount, recordCount, null);
            }
            if (next == null || next.toString().equals(cursor)) {
                return PullResult.endedEarly(pageCount, recordCount, null, request.systemName() + ": page " + pageCount
                        + " says more pages follow but gives " + (next == null ? "no cursor" : "the same cursor again"));
            }
            cursor = next.toString();
        }
    }

    /** One page of the query; a 429 (or a 503 that says when) waited out as its {@code Retry-After} says, a few times. */
    private Map<String, Object> page(RestTarget target, URI query, Map<String, Object> body, PullRequest request, long number)
            throws PullException {
        try {
            for (int attempt = 1;; attempt++) {
                HttpResponse<String> response = client().call(target, "POST", query, body,
                        status -> status == 429 || status == 503);
                if (response.statusCode() / 100 == 2) {
                    return answer(target, "POST " + query.getRawPath(), response);
                }
                if (attempt > RetryAfter.PULL_RETRIES) {
                    throw new PullException(request.systemName() + ": page " + number + " answered HTTP " + response.statusCode()
                            + " " + RetryAfter.PULL_RETRIES + " times more");
                }
                Thread.sleep(RetryAfter.ofPull(response).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(request.systemName() + ": interrupted on page " + number, e);
        } catch (RuntimeException e) {
            throw new PullException(request.systemName() + ": page " + number + " failed: " + e.getMessage(), e);
        }
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
