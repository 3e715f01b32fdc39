package io.syncline.console;

import io.syncline.audit.AuditLog;
import io.syncline.matching.IdMapRepository;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.CanonicalRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds records for the record-status page by what a person knows of them: a canonical id, the
 * record's id in any system (the ID map), or an e-mail address (the values Syncline last synced,
 * kept in each record state). An e-mail search reads the record states' values, so it is a scan:
 * fine for a person's search, not for an API client's loop. Each table is read through its store.
 */
@ApplicationScoped
public class RecordFinder {

    /** A record found: its entity and canonical id. */
    public record Found(String entity, String canonicalId) {
    }

    static final int LIMIT = 20;

    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;
    @Inject
    AuditLog audit;

    /** @param entity null for every entity */
    public List<Found> find(String entity, String query) throws SQLException {
        Set<Found> found = new LinkedHashSet<>();
        idMap.find(entity, query, LIMIT).forEach(record -> found.add(found(record)));
        if (query.contains("@")) {
            states.withEmail(entity, query, LIMIT).forEach(record -> found.add(found(record)));
        }
        return new ArrayList<>(found).subList(0, Math.min(found.size(), LIMIT));
    }

    private static Found found(CanonicalRef record) {
        return new Found(record.entity(), record.canonicalId());
    }

    /** The record's audit entries, newest first. */
    public List<Map<String, Object>> timeline(String entity, String canonicalId, int limit) throws SQLException {
        return audit.timeline(entity, canonicalId, limit);
    }
}
