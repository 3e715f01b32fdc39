package io.syncline.matching;

import io.agroal.api.AgroalDataSource;
import io.syncline.config.SynclineConfig;
import io.syncline.store.CanonicalRef;
import io.syncline.store.Conditions;
import io.syncline.store.Page;
import io.syncline.store.Sql;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The cross-system ID map: (entity, system, system id) to canonical id, unique both ways
 * (table {@code id_map}). Inserts rely on the unique keys, never on check-then-insert, so
 * that concurrent writers agree on one canonical id. A link is never changed or removed once
 * made, so the links read or made here are remembered ({@link IdMapLinks}, at most
 * {@code syncline.id-map.cache-size}): a record's later events find their canonical id and
 * target ids without a query.
 *
 * <p>A record new to the ID map may be linked in a transaction of the caller's
 * ({@link #linkFresh}): until that transaction ends, its fresh canonical id is known to no other
 * connection, so the look-ups of that id's links answer "none" without a query.
 */
@ApplicationScoped
public class IdMapRepository implements IdMapRule.Lookup {

    private static final String FIND_CANONICAL =
            "SELECT canonical_id FROM id_map WHERE entity = ? AND system = ? AND system_id = ?";
    /** A system's record's canonical id with every link of that canonical record (its own too): one round trip for both. */
    private static final String FIND_CANONICAL_WITH_LINKS = "SELECT linked.canonical_id, linked.system, linked.system_id"
            + " FROM id_map known JOIN id_map linked ON linked.entity = known.entity AND linked.canonical_id = known.canonical_id"
            + " WHERE known.entity = ? AND known.system = ? AND known.system_id = ?";
    private static final String FIND_SYSTEM_ID =
            "SELECT system_id FROM id_map WHERE entity = ? AND canonical_id = ? AND system = ?";
    private static final String LINK =
            "INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String UNLINK =
            "DELETE FROM id_map WHERE entity = ? AND canonical_id = ? AND system = ? AND system_id = ?";
    private static final String LINK_COLUMNS = "SELECT entity, canonical_id, system, system_id, created_at FROM id_map";
    /** Records looked up at once, at most: three parameters each stay far below the protocol's limit. */
    private static final int LOOKUP_CHUNK = 500;

    private final AgroalDataSource dataSource;
    private final IdMapLinks links;
    /** Canonical ids made by {@link #linkFresh} in transactions not ended yet. */
    private final Set<String> uncommitted = ConcurrentHashMap.newKeySet();

    public IdMapRepository(AgroalDataSource dataSource, SynclineConfig config) {
        this.dataSource = dataSource;
        this.links = new IdMapLinks(config.idMap().cacheSize());
    }

    /**
     * The canonical id of a system's record. Read from the database, it comes with the record's
     * other links, remembered for the stages that look them up next (the target's ID map rule).
     */
    public Optional<String> canonicalId(String entity, String system, String systemId) {
        String remembered = links.canonicalId(entity, system, systemId);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = prepare(connection,
                FIND_CANONICAL_WITH_LINKS, entity, system, systemId); ResultSet rows = select.executeQuery()) {
            boolean committed = connection.getAutoCommit();
            String canonicalId = null;
            while (rows.next()) {
                canonicalId = rows.getString(1);
                if (committed) {
                    links.remember(entity, canonicalId, rows.getString(2), rows.getString(3));
                }
            }
            return Optional.ofNullable(canonicalId);
        } catch (SQLException e) {
            throw new IllegalStateException("ID map lookup failed", e);
        }
    }

    /**
     * The canonical ids of several records of one system, by system id; records the ID map does
     * not know are left out. Those not remembered are read in one round trip, with every link of
     * their canonical records, which are remembered too.
     */
    public Map<String, String> canonicalIds(String entity, String system, Collection<String> systemIds) {
        return lookUpAll(entity, system, systemIds, systemId -> links.canonicalId(entity, system, systemId),
                "SELECT known.system_id, linked.canonical_id, linked.system, linked.system_id FROM id_map known"
                        + " JOIN id_map linked ON linked.entity = known.entity AND linked.canonical_id = known.canonical_id"
                        + " WHERE known.entity = ? AND known.system = ? AND known.system_id IN ",
                2);
    }

    /**
     * The ids in one system of several canonical records, by canonical id; records not linked
     * there are left out. Those not remembered are read in one round trip, and remembered.
     */
    public Map<String, String> systemIds(String entity, Collection<String> canonicalIds, String system) {
        return lookUpAll(entity, system, canonicalIds, canonicalId -> links.systemId(entity, canonicalId, system),
                "SELECT canonical_id, canonical_id, system, system_id FROM id_map"
                        + " WHERE entity = ? AND system = ? AND canonical_id IN ",
                4);
    }

    /**
     * Several ids looked up at once, by asked id: those {@code remembered}, the rest in one query
     * ({@code select}, parameters entity, system and the asked ids, whose IN list it ends with)
     * whose rows are (asked id, canonical id, system, system id): each such link is remembered,
     * and column {@code answer} answers its asked id.
     */
    private Map<String, String> lookUpAll(String entity, String system, Collection<String> ids,
            UnaryOperator<String> remembered, String select, int answer) {
        Map<String, String> found = new HashMap<>();
        List<String> asked = new ArrayList<>();
        for (String id : ids) {
            String known = remembered.apply(id);
            if (known != null) {
                found.put(id, known);
            } else {
                asked.add(id);
            }
        }
        if (asked.isEmpty()) {
            return found;
        }
        List<String> parameters = new ArrayList<>(List.of(entity, system));
        parameters.addAll(asked);
        String in = "(" + String.join(", ", Collections.nCopies(asked.size(), "?")) + ")";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, select + in, parameters.toArray(String[]::new));
                ResultSet rows = statement.executeQuery()) {
            boolean committed = connection.getAutoCommit();
            while (rows.next()) {
                found.put(rows.getString(1), rows.getString(answer));
                if (committed) {
                    links.remember(entity, rows.getString(2), rows.getString(3), rows.getString(4));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("ID map lookup failed", e);
        }
    }

    @Override
    public Optional<String> systemId(String entity, String canonicalId, String system) {
        String remembered = links.systemId(entity, canonicalId, system);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        if (uncommitted.contains(canonicalId)) {
            // Made in a transaction still open: no other connection can see any link of it.
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection()) {
            Optional<String> found = queryOne(connection, FIND_SYSTEM_ID, entity, canonicalId, system);
            if (found.isPresent() && connection.getAutoCommit()) {
                links.remember(entity, canonicalId, system, found.get());
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("ID map lookup failed", e);
        }
    }

    /** The record's id in every system the ID map links it to, by system name. */
    public Map<String, String> systemIds(String entity, String canonicalId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = prepare(connection,
                "SELECT system, system_id FROM id_map WHERE entity = ? AND canonical_id = ? ORDER BY system", entity, canonicalId);
                ResultSet rows = select.executeQuery()) {
            Map<String, String> ids = new java.util.TreeMap<>();
            while (rows.next()) {
                ids.put(rows.getString(1), rows.getString(2));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("ID map lookup failed", e);
        }
    }

    /**
     * The records that {@code id} names, as a system's id or as their canonical id, at most {@code limit}.
     *
     * @param entity null for every entity
     */
    public List<CanonicalRef> find(String entity, String id, int limit) throws SQLException {
        return CanonicalRef.find(dataSource, "SELECT DISTINCT entity, canonical_id FROM id_map WHERE (system_id = ? OR canonical_id = ?)"
                + " AND (? IS NULL OR entity = ?) ORDER BY entity, canonical_id", limit, id, id, entity, entity);
    }

    /**
     * A page of the links {@code filter} takes, in the order of the primary key (entity, system,
     * system id), after the page that {@code cursor} ends (null: the first page).
     */
    public Page<IdMapLink> list(IdMapFilter filter, String cursor, int limit) throws SQLException {
        Conditions conditions = filter.conditions(cursor);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(listSql(conditions))) {
            select.setInt(conditions.bind(select), limit + 1);
            try (ResultSet rows = select.executeQuery()) {
                return Page.of(links(rows), limit, IdMapFilter::cursorAfter);
            }
        }
    }

    /** The list's statement for {@code conditions}; its last parameter is the number of rows. */
    static String listSql(Conditions conditions) {
        return LINK_COLUMNS + conditions.where() + IdMapFilter.ORDER + " LIMIT ?";
    }

    /**
     * Every link of each record that one of {@code records} or {@code canonical} names, on the
     * caller's connection (an import's transaction sees its own links): what linking them would
     * meet. Read by the primary key and the canonical key, a chunk of records a statement.
     */
    public List<IdMapLink> linksOf(Connection connection, Collection<SystemRecord> records, Collection<CanonicalRef> canonical)
            throws SQLException {
        Set<CanonicalRef> named = new LinkedHashSet<>(canonical);
        byChunks(connection, records, "SELECT m.entity, m.canonical_id FROM id_map m JOIN (VALUES %s) AS k (entity, system,"
                + " system_id) ON m.entity = k.entity AND m.system = k.system AND m.system_id = k.system_id", "(?, ?, ?)",
                record -> List.of(record.entity(), record.system(), record.systemId()), rows -> {
                    while (rows.next()) {
                        named.add(new CanonicalRef(rows.getString(1), rows.getString(2)));
                    }
                });
        List<IdMapLink> links = new ArrayList<>();
        byChunks(connection, named, "SELECT m.entity, m.canonical_id, m.system, m.system_id, m.created_at FROM id_map m JOIN"
                + " (VALUES %s) AS k (entity, canonical_id) ON m.entity = k.entity AND m.canonical_id = k.canonical_id", "(?, ?)",
                ref -> List.of(ref.entity(), ref.canonicalId()), rows -> links.addAll(links(rows)));
        return links;
    }

    /** Reads the rows a statement answers. */
    @FunctionalInterface
    private interface RowsReader {

        void read(ResultSet rows) throws SQLException;
    }

    /**
     * Runs {@code select} once per chunk of {@code keys}, its {@code %s} the chunk's rows of
     * placeholders ({@code tuple} each), bound to each key's {@code values} in turn.
     */
    private static <K> void byChunks(Connection connection, Collection<K> keys, String select, String tuple,
            Function<K, List<String>> values, RowsReader reader) throws SQLException {
        for (List<K> chunk : chunks(List.copyOf(keys))) {
            try (PreparedStatement statement = connection.prepareStatement(select.formatted(rowsOf(chunk.size(), tuple)))) {
                int i = 1;
                for (K key : chunk) {
                    for (String value : values.apply(key)) {
                        statement.setString(i++, value);
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    reader.read(rows);
                }
            }
        }
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK)));
        }
        return chunks;
    }

    private static String rowsOf(int count, String row) {
        return String.join(", ", Collections.nCopies(count, row));
    }

    /** Rows of {@link #LINK_COLUMNS} as links. */
    private static List<IdMapLink> links(ResultSet rows) throws SQLException {
        List<IdMapLink> links = new ArrayList<>();
        while (rows.next()) {
            links.add(new IdMapLink(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                    rows.getObject(5, OffsetDateTime.class).toInstant()));
        }
        return links;
    }

    /** The canonical id of a system's record, created (a new UUID) the first time it is seen. */
    public String resolve(String entity, String system, String systemId) {
        Optional<String> known = canonicalId(entity, system, systemId);
        if (known.isPresent()) {
            return known.get();
        }
        String fresh = UUID.randomUUID().toString();
        if (linkNow(entity, fresh, system, systemId) == 1) {
            return fresh;
        }
        // Another worker linked it first; its answer is everyone's.
        return canonicalId(entity, system, systemId).orElseThrow();
    }

    /**
     * Links a record the ID map did not know to a fresh canonical id with the caller's
     * {@code writes}, in a transaction the caller commits ({@link #linkNew(Writes, String, String,
     * String, String)}): if another transaction linked the record meanwhile, the writes fail. Until
     * the caller reports the transaction's end to {@link #ended}, the fresh id is known to no other
     * connection, so the look-ups of its links answer "none" without a query.
     */
    public void linkFresh(Writes writes, String entity, String canonicalId, String system, String systemId)
            throws SQLException {
        uncommitted.add(canonicalId);
        try {
            linkNew(writes, entity, canonicalId, system, systemId);
        } catch (SQLException | RuntimeException e) {
            uncommitted.remove(canonicalId);
            throw e;
        }
    }

    /** The transaction of a {@link #linkFresh} ended: committed, the link is remembered. */
    public void ended(String entity, String canonicalId, String system, String systemId, boolean committed) {
        if (committed) {
            links.remember(entity, canonicalId, system, systemId);
        }
        uncommitted.remove(canonicalId);
    }

    /**
     * Records that {@code canonicalId} is {@code systemId} in {@code system}. Idempotent; a link
     * that contradicts an existing one is an {@link IdMapConflictException}.
     */
    public void link(String entity, String canonicalId, String system, String systemId) {
        try (Connection connection = dataSource.getConnection()) {
            link(connection, entity, canonicalId, system, systemId);
            if (connection.getAutoCommit()) {
                links.remember(entity, canonicalId, system, systemId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ID map update failed", e);
        }
    }

    /**
     * {@link #link(String, String, String, String)} inside the caller's transaction. Not
     * remembered: the transaction may still roll back; the next lookup reads it once committed.
     */
    public void link(Connection connection, String entity, String canonicalId, String system, String systemId)
            throws SQLException {
        if (update(connection, LINK, entity, canonicalId, system, systemId) == 1) {
            // Inserted: neither unique key held a contradicting link.
            return;
        }
        String linked = queryOne(connection, FIND_CANONICAL, entity, system, systemId).orElse(null);
        String mapped = queryOne(connection, FIND_SYSTEM_ID, entity, canonicalId, system).orElse(null);
        if (!canonicalId.equals(linked) || !systemId.equals(mapped)) {
            throw new IdMapConflictException(entity, system, systemId, linked, canonicalId);
        }
    }

    /**
     * A link that must be new, sent with the transaction's other {@code writes} (in a batch, together
     * before its commit): one that inserts nothing, because it was made before or contradicts an
     * existing one, fails the writes with {@link io.syncline.store.RowExistsException}.
     */
    public void linkNew(Writes writes, String entity, String canonicalId, String system, String systemId)
            throws SQLException {
        writes.writeNew(LINK, "ID map link of " + entity + " " + canonicalId + " to " + system + " " + systemId,
                Sql.params().text(entity, canonicalId, system, systemId));
    }

    /**
     * Removes the link of {@code canonicalId} to {@code systemId} in {@code system}, in the caller's
     * transaction: the system lost that record, and a reconciliation's fix is to write it anew and
     * link what it writes. The link is forgotten by this replica's memory too.
     *
     * @return whether there was such a link
     */
    public boolean unlink(Connection connection, String entity, String canonicalId, String system, String systemId)
            throws SQLException {
        links.forget(entity, canonicalId, system, systemId);
        return update(connection, UNLINK, entity, canonicalId, system, systemId) == 1;
    }

    /** Inserts a link unless either side is linked already (1: inserted), in a transaction of its own. */
    private int linkNow(String entity, String canonicalId, String system, String systemId) {
        try (Connection connection = dataSource.getConnection()) {
            int inserted = update(connection, LINK, entity, canonicalId, system, systemId);
            if (inserted == 1 && connection.getAutoCommit()) {
                links.remember(entity, canonicalId, system, systemId);
            }
            return inserted;
        } catch (SQLException e) {
            throw new IllegalStateException("ID map update failed", e);
        }
    }

    private static Optional<String> queryOne(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    private static int update(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i]);
        }
        return statement;
    }
}
