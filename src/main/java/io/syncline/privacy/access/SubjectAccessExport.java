package io.syncline.privacy.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.privacy.request.PrivacyRequest;
import io.syncline.privacy.request.PrivacyRequests;
import io.syncline.privacy.subject.Footprint;
import io.syncline.privacy.subject.SubjectRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything Syncline can tell about one person (GDPR Art. 15), read when asked: each system's
 * current record of them, fetched through its connector, and Syncline's own rows about them (ID
 * map links, record state, audit entries, inbox events, dead letters, review items,
 * reconciliation differences). Stored JSON (payloads, diffs, values) is shown as JSON.
 */
@ApplicationScoped
public class SubjectAccessExport {

    @Inject
    PrivacyRequests requests;
    @Inject
    AgroalDataSource store;
    @Inject
    ObjectMapper json;

    public Map<String, Object> export(PrivacyRequest request) throws Exception {
        Footprint person = requests.footprint(request);
        List<Map<String, Object>> systems = new ArrayList<>();
        person.ids().forEach((system, ids) -> ids.forEach(id -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("system", system);
            entry.put("id", id);
            String key = Footprint.recordKey(system, id);
            if (person.unreadable().containsKey(key)) {
                entry.put("error", person.unreadable().get(key));
            } else if (person.unreadable().containsKey(system)) {
                entry.put("error", person.unreadable().get(system));
            } else {
                entry.put("record", person.records().get(key));
            }
            systems.add(entry);
        }));
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("idMap", idMap(person));
        try (Connection connection = store.getConnection()) {
            SubjectRows rows = new SubjectRows(connection, person);
            for (SubjectRows.Table table : SubjectRows.Table.values()) {
                own.put(table.name(), readable(rows.of(table)));
            }
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("request", request);
        export.put("entity", request.entity());
        export.put("systems", systems);
        export.put("syncline", own);
        return export;
    }

    private static List<Map<String, Object>> idMap(Footprint person) {
        List<Map<String, Object>> links = new ArrayList<>();
        person.ids().forEach((system, ids) -> ids.forEach(id -> links.add(Map.of("system", system, "systemId", id))));
        return links;
    }

    /** Text columns that hold JSON, as JSON. */
    private List<Map<String, Object>> readable(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            row.replaceAll((column, value) -> {
                if (value instanceof String text && (text.startsWith("{") || text.startsWith("["))) {
                    try {
                        return json.readTree(text);
                    } catch (Exception notJson) {
                        return text;
                    }
                }
                return value;
            });
        }
        return rows;
    }
}
