package io.syncline.audit;

import io.agroal.api.AgroalDataSource;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.failure.BadParameterException;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.EntityDefinition;
import io.syncline.store.Conditions;
import io.syncline.store.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the audit log for people: the entries a filter takes, newest first, a keyset page at a
 * time ({@link #page}); an export reads page after page the same way ({@link AuditExport}).
 */
@ApplicationScoped
public class AuditTrail {

    private static final String COLUMNS = "SELECT id, occurred_at, action, entity, canonical_id, source_system, source_id,"
            + " target_system, target_id, run_id, inbox_id, event_key, version_hash, diff, detail, actor FROM audit_log";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    IdMapRepository idMap;
    @Inject
    SyncModelRegistry registry;

    /**
     * The canonical ids {@code id} names for {@code entity}: its own, as a canonical id, and that of
     * the record it is in each system the model maps the entity to (each read by the ID map's key).
     */
    public Set<String> recordIds(String entity, String id) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(id);
        EntityDefinition definition = registry.current().model().entities().get(entity);
        if (definition != null) {
            definition.mappings().keySet().forEach(system -> idMap.canonicalId(entity, system, id).ifPresent(ids::add));
        }
        return ids;
    }

    /**
     * The filter of a person's query: {@code record} (an id in any system of {@code entity}, or
     * a canonical id) needs the entity, each of {@code actions} (each may hold several, comma
     * separated) must be an action's code; times are {@code from} inclusive, {@code to} exclusive.
     *
     * @throws BadParameterException naming the parameter at fault
     */
    public AuditFilter filter(String entity, String record, String system, Instant from, Instant to, List<String> actions,
            String run) {
        if (record != null && entity == null) {
            throw new BadParameterException("entity", "a record is named by its entity and id: add entity=<entity>");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadParameterException("to", "to must be after from");
        }
        List<String> codes = AuditFilter.actionCodes();
        Set<String> taken = new LinkedHashSet<>();
        for (String given : actions == null ? List.<String>of() : actions) {
            for (String action : given.split(",")) {
                if (!action.isBlank() && !codes.contains(action.strip())) {
                    throw new BadParameterException("action", "action '" + action.strip() + "' is unknown; use one of "
                            + String.join(", ", new TreeSet<>(codes)));
                }
                if (!action.isBlank()) {
                    taken.add(action.strip());
                }
            }
        }
        return new AuditFilter(entity, record == null ? null : recordIds(entity, record), system, from, to, taken, run);
    }

    /** A page of the entries {@code filter} takes, newest first, after the page {@code cursor} ends (null: the first). */
    public Page<AuditRecord> page(AuditFilter filter, String cursor, int limit) throws SQLException {
        Conditions conditions = filter.conditions(cursor);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(pageSql(conditions))) {
            select.setInt(conditions.bind(select), limit + 1);
            List<AuditRecord> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(entry(rows));
                }
            }
            return Page.of(entries, limit, AuditFilter::cursorAfter);
        }
    }

    static String pageSql(Conditions conditions) {
        return COLUMNS + conditions.where() + AuditFilter.ORDER + " LIMIT ?";
    }

    private static AuditRecord entry(ResultSet rows) throws SQLException {
        Number inboxId = (Number) rows.getObject(11);
        return new AuditRecord(rows.getLong(1), rows.getObject(2, OffsetDateTime.class).toInstant(), rows.getString(3),
                rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
                rows.getString(10), inboxId == null ? null : inboxId.longValue(), rows.getString(12), rows.getString(13), rows.getString(14),
                rows.getString(15), rows.getString(16));
    }
}
