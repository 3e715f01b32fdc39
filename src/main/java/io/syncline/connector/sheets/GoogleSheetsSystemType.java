package io.syncline.connector.sheets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Erasure;
import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.connector.spi.SystemHealth;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Ability;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * System type {@code google-sheets}: the rows of a sheet as records (docs/connectors/google-sheets.md).
 * A mapping's {@code resource} names the sheet and its table in A1 notation ({@link SheetRange});
 * the table's first row holds the column names, which are the mapping's paths, and its
 * {@code key} column the record's id. Calls go through Camel's Google Sheets component, one per
 * system ({@link SheetsComponents}), under a shared pace ({@link SheetsClient}).
 * <ul>
 *   <li>pull: the whole table in one {@code values.get}, handed on in pages;</li>
 *   <li>changes (Sheets has no webhooks and keeps no modification times): the whole table, each
 *       row compared with the digest the last poll kept ({@link SheetRowDigests}); new and edited
 *       rows are changes, stamped with the time the poll saw them at the mapping's path of the
 *       entity's {@code modifiedAt}, and rows gone from the sheet are deletions where the mapping
 *       has a {@code delete.flag};</li>
 *   <li>writes: an update is a {@code values.update} of the record's row, a create a
 *       {@code values.append} after the table (or an update where a row of its key is there
 *       already), a delete a {@code values.clear} of its row: the row stays, empty, so the rows
 *       below keep their numbers while other writes address them;</li>
 *   <li>batches: the updates of an inbox batch are one {@code values.batchUpdate} after one read
 *       ({@link SheetsTargetStages}).</li>
 * </ul>
 */
@ApplicationScoped
public class GoogleSheetsSystemType extends SystemTypeSupport {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GoogleSheetsSystemType.class);

    public static final String NAME = "google-sheets";
    /** The type's readiness check. */
    static final String HEALTH = "syncline-google-sheets";

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES,
            Ability.READ_CHANGES, Ability.FETCH, Ability.WRITE, Ability.BATCH_WRITE, Ability.ERASE));

    /** What a mapping needs: a range of a sheet in A1 notation ({@link SheetsRules}). */
    public static final SystemTypeRules RULES = SheetsRules.RULES;

    /** Most rows one {@code values.batchUpdate} carries. */
    static final int BATCH_LIMIT = 100;

    /** A row to update: the record's key and the cells to write, by column. */
    record RowUpdate(String id, Map<String, Object> row) {
    }

    private final SyncModelRegistry registry;
    private final SheetsComponents components;
    private final SharedRateLimiter limiter;
    private final SheetRowDigests digests;
    private final ObjectMapper json;

    public GoogleSheetsSystemType(SyncModelRegistry registry, SheetsComponents components, SharedRateLimiter limiter,
            SheetRowDigests digests, ObjectMapper json) {
        super(NAME, ABILITIES, RULES);
        this.registry = registry;
        this.components = components;
        this.limiter = limiter;
        this.digests = digests;
        this.json = json;
    }

    /**
     * Each Google Sheets system of the model, in readiness details, as this replica's last call found
     * it: {@code system.<name>.connection} is {@code connected}, {@code not called yet}, the service
     * account refused (its key, or a spreadsheet not shared with it) or unreachable.
     */
    @Override
    public Optional<SystemHealth> health() {
        return Optional.of(SystemHealth.of(HEALTH, (system, definition) -> {
            String state = components.states().get(system);
            return Map.of("system." + system + ".connection", state == null ? "not called yet" : state.isEmpty() ? "connected" : state);
        }));
    }

    @Override
    public RecordPuller puller() {
        return (request, sink) -> {
            SheetTable table;
            Instant read = Instant.now();
            try {
                table = client(request.systemName(), request.system()).read(range(request.systemName(), request.mapping()));
            } catch (RuntimeException e) {
                throw new PullException(e.getMessage(), e);
            }
            if (table.header().isEmpty()) {
                throw new PullException(request.systemName() + ": sheet " + table.range().sheet() + " has no column names in row "
                        + table.range().headerRow() + " (its first row is the header)");
            }
            return request.changes() == null ? all(request, table, sink) : changes(request, table, read, sink);
        };
    }

    private static PullResult all(PullRequest request, SheetTable table, io.syncline.connector.spi.PageSink sink)
            throws PullException {
        Set<String> keys = request.keys() == null ? null : new HashSet<>(request.keys().stream().map(String::valueOf).toList());
        List<Map<String, Object>> records = table.rows().stream().map(SheetTable.Row::record)
                .filter(record -> keys == null || keys.contains(SheetTable.text(record.get(request.mapping().key())))).toList();
        long pages = 0;
        for (int from = 0; from < records.size(); from += request.pageSize()) {
            accept(sink, records.subList(from, Math.min(records.size(), from + request.pageSize())));
            pages++;
        }
        return PullResult.complete(pages, records.size(), (long) records.size());
    }

    /**
     * The rows new or edited since the last poll and, where the mapping flags deletions, the keys
     * no longer there, all stamped with this poll's time, in key order; each page's digests kept
     * once the page is stored.
     */
    private PullResult changes(PullRequest request, SheetTable table, Instant read, io.syncline.connector.spi.PageSink sink)
            throws PullException {
        String job = job(request.entity(), request.systemName());
        String keyPath = request.mapping().key();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, SheetRowDigests.Seen> known;
        try {
            known = digests.of(job);
        } catch (java.sql.SQLException e) {
            throw new PullException("reading the rows last seen in " + request.systemName() + " failed: " + e.getMessage(), e);
        }
        Map<String, Map<String, Object>> changed = new TreeMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        Set<String> present = new HashSet<>();
        for (SheetTable.Row row : table.rows()) {
            String key = SheetTable.text(row.record().get(keyPath));
            if (key == null || !present.add(key)) {
                continue; // a row without a key, or a second row of one key, is no record of its own
            }
            String digest = digest(row.record());
            SheetRowDigests.Seen before = known.get(key);
            if (before != null && !before.at().isBefore(read)) {
                continue; // Syncline wrote the row while it was read: what was read may be older than its write
            }
            if (before == null || !digest.equals(before.digest())) {
                Map<String, Object> record = new LinkedHashMap<>(row.record());
                record.put(request.changes().path(), now.toString());
                changed.put(key, record);
                seen.put(key, digest);
            }
        }
        String flag = request.mapping().delete() == null ? null : request.mapping().delete().flag();
        List<String> gone = known.entrySet().stream().filter(row -> !present.contains(row.getKey())
                && row.getValue().at().isBefore(read)).map(Map.Entry::getKey).sorted().toList();
        if (flag != null) {
            for (String key : gone) {
                if (SheetRowDigests.CLEARED.equals(known.get(key).digest())) {
                    continue; // emptied by Syncline itself: no deletion to tell
                }
                Map<String, Object> deletion = new LinkedHashMap<>();
                deletion.put(keyPath, key);
                deletion.put(flag, true);
                deletion.put(request.changes().path(), now.toString());
                changed.put(key, deletion);
            }
        }
        List<String> keys = new ArrayList<>(changed.keySet());
        long pages = 0;
        for (int from = 0; from < keys.size(); from += request.pageSize()) {
            List<String> page = keys.subList(from, Math.min(keys.size(), from + request.pageSize()));
            accept(sink, page.stream().map(changed::get).toList());
            Map<String, String> kept = new LinkedHashMap<>();
            page.stream().filter(seen::containsKey).forEach(key -> kept.put(key, seen.get(key)));
            keep(job, kept, page.stream().filter(key -> !seen.containsKey(key)).toList(), now);
            pages++;
        }
        // not told on (no delete flag, or emptied by Syncline): forgotten, so that a row that comes back is new again
        List<String> forgotten = gone.stream().filter(key -> flag == null || SheetRowDigests.CLEARED.equals(known.get(key).digest()))
                .toList();
        if (!forgotten.isEmpty()) {
            keep(job, Map.of(), forgotten, now);
        }
        return PullResult.complete(pages, keys.size(), (long) keys.size());
    }

    private void keep(String job, Map<String, String> seen, List<String> gone, Instant now) throws PullException {
        try {
            digests.keep(job, seen, gone, now);
        } catch (java.sql.SQLException e) {
            throw new PullException("keeping the rows seen in the sheet failed: " + e.getMessage(), e);
        }
    }

    private static void accept(io.syncline.connector.spi.PageSink sink, List<Map<String, Object>> page) throws PullException {
        try {
            sink.accept(page);
        } catch (PullException e) {
            throw e;
        } catch (Exception e) {
            throw new PullException("storing a page failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        SystemMapping mapping = mapping(entity, system);
        return client(system).read(range(system, mapping)).find(mapping.key(), id).map(row -> new LinkedHashMap<>(row.record()));
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        SystemMapping mapping = mapping(entity, system);
        SheetsClient client = client(system);
        SheetRange range = range(system, mapping);
        SheetTable table = writable(system, client.read(range), row);
        Map<String, Object> record = new LinkedHashMap<>(row);
        String id = SheetTable.text(record.get(mapping.key()));
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
            record.put(mapping.key(), id);
        }
        Optional<SheetTable.Row> existing = table.find(mapping.key(), id);
        if (existing.isPresent()) {
            // a create whose row is there already (a retry whose link was lost, a key the source gives): written over
            client.update(range.row(existing.get().number(), table.header().size()), table.cells(record, SheetsClient.SKIPPED));
        } else {
            client.append(range, table.cells(record, ""));
        }
        remember(entity, system, id, table.afterWrite(existing.map(SheetTable.Row::record).orElse(null), record));
        return id;
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        SystemMapping mapping = mapping(entity, system);
        SheetsClient client = client(system);
        SheetRange range = range(system, mapping);
        SheetTable table = writable(system, client.read(range), row);
        SheetTable.Row found = table.find(mapping.key(), id).orElseThrow(() -> missing(system, mapping, range, id));
        unchangedSincePolled(entity, system, id, found);
        Map<String, Object> record = new LinkedHashMap<>(row);
        record.remove(mapping.key());
        client.update(range.row(found.number(), table.header().size()), table.cells(record, SheetsClient.SKIPPED));
        remember(entity, system, id, table.afterWrite(found.record(), record));
    }

    /**
     * Updates several rows of one table: one read, then a {@code values.batchUpdate} of up to
     * {@value #BATCH_LIMIT} rows a call, which Sheets applies all or nothing.
     *
     * @throws TargetRejectedException a row is not in the sheet, or a column is not (nothing written)
     */
    void updateAll(String entity, String system, List<RowUpdate> updates) {
        SystemMapping mapping = mapping(entity, system);
        SheetsClient client = client(system);
        SheetRange range = range(system, mapping);
        SheetTable table = client.read(range);
        List<com.google.api.services.sheets.v4.model.ValueRange> rows = new ArrayList<>();
        Map<String, Map<String, Object>> after = new LinkedHashMap<>();
        for (RowUpdate update : updates) {
            writable(system, table, update.row());
            SheetTable.Row found = table.find(mapping.key(), update.id()).orElseThrow(() -> missing(system, mapping, range,
                    update.id()));
            unchangedSincePolled(entity, system, update.id(), found);
            Map<String, Object> record = new LinkedHashMap<>(update.row());
            record.remove(mapping.key());
            String at = range.row(found.number(), table.header().size());
            rows.add(SheetsClient.rows(at, List.of(table.cells(record, SheetsClient.SKIPPED))));
            after.put(update.id(), table.afterWrite(found.record(), record));
        }
        for (int from = 0; from < rows.size(); from += BATCH_LIMIT) {
            client.updateAll(rows.subList(from, Math.min(rows.size(), from + BATCH_LIMIT)));
        }
        after.forEach((id, row) -> remember(entity, system, id, row));
    }

    /** The name of the key column of the entity's table in {@code system}. */
    String keyColumn(String entity, String system) {
        return mapping(entity, system).key();
    }

    private static TargetRejectedException missing(String system, SystemMapping mapping, SheetRange range, String id) {
        return new TargetRejectedException(system, 404, null, system + " has no row whose " + mapping.key() + " is " + id + " in "
                + range.table() + ": it was deleted or its key edited in the sheet");
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        SystemMapping mapping = mapping(entity, system);
        SheetsClient client = client(system);
        SheetRange range = range(system, mapping);
        SheetTable table = client.read(range);
        Optional<SheetTable.Row> found = table.find(mapping.key(), id);
        found.ifPresent(row -> client.clear(range.row(row.number(), table.header().size())));
        remember(entity, system, id, null);
        return found.isPresent();
    }

    /**
     * Keeps what Syncline's own write left in the row ({@code null}: the row emptied) as what the
     * entity's poll of the sheet last saw, and when, so that the poll does not read Syncline's write
     * back as an edit of the sheet's: it would carry the poll's later time, and an earlier state of
     * the row, read while the write was under way, would then overrule a newer change from
     * elsewhere. A poll that began reading before this time leaves the row for the next poll.
     */
    private void remember(String entity, String system, String id, Map<String, Object> row) {
        var definition = registry.current().model().entities().get(entity);
        if (definition == null || !definition.polls().containsKey(system)) {
            return;
        }
        String job = job(entity, system);
        try {
            digests.keep(job, Map.of(id, row == null ? SheetRowDigests.CLEARED : digest(row)), List.of(), Instant.now());
        } catch (java.sql.SQLException e) {
            // the write is done; the poll will read it back as a change, which the engine recognises as its own echo
            LOG.warnf("Keeping the row Syncline wrote to %s (%s %s) failed: %s", system, entity, id, e.getMessage());
        }
    }

    /**
     * Refuses, for now, to write over a row a person edited after the entity's poll of the sheet
     * last read it: the write would wipe out an edit no poll has seen. The write is retried with
     * backoff; by then the poll has read the edit, and the engine weighs the two changes.
     */
    private void unchangedSincePolled(String entity, String system, String id, SheetTable.Row row) {
        var definition = registry.current().model().entities().get(entity);
        if (definition == null || !definition.polls().containsKey(system)) {
            return;
        }
        String seen;
        try {
            seen = digests.of(job(entity, system), id);
        } catch (java.sql.SQLException e) {
            throw new TargetUnavailableException(system, null, null, "Reading the row last polled from " + system
                    + " failed: " + e.getMessage(), e);
        }
        if (seen != null && !seen.equals(digest(row.record()))) {
            throw new TargetUnavailableException(system, null, null, system + ": row " + row.number() + " (" + id
                    + ") was edited in the sheet after the last poll read it; written once the poll has read the edit", null);
        }
    }

    private static String job(String entity, String system) {
        return "poll:" + entity + ":" + system;
    }

    @Override
    public io.syncline.connector.spi.TargetStages stages(io.syncline.connector.spi.TargetStages.Context context) {
        return new SheetsTargetStages(this, context);
    }

    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        return erasure.byRecordCalls(this, registry.current().transformer(), entity, system, id);
    }

    /** The table, refused when it lacks a column the record writes: Sheets would drop its value unseen. */
    private static SheetTable writable(String system, SheetTable table, Map<String, Object> row) {
        List<String> missing = row.keySet().stream().filter(column -> !table.header().contains(column)).toList();
        if (!missing.isEmpty()) {
            throw new TargetRejectedException(system, 400, null, system + ": sheet " + table.range().sheet() + " has no column "
                    + String.join(", ", missing) + " in its header row " + table.range().headerRow()
                    + "; add the column names to that row, or map the fields to the columns it has");
        }
        return table;
    }

    private String digest(Map<String, Object> record) {
        try {
            byte[] bytes = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(record));
            return HexFormat.of().formatHex(bytes);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("Digesting a row failed: " + e.getMessage(), e);
        }
    }

    /** Each mapping's header row: the key and access to the spreadsheet, the sheet, the columns named ({@link SheetsCheck}). */
    @Override
    public List<io.syncline.connector.spi.SystemCheck> check(String system, SyncModel model, java.time.Duration timeout) {
        SheetsClient client;
        try {
            client = client(system, model.systems().get(system));
        } catch (RuntimeException e) {
            return List.of(io.syncline.connector.spi.SystemCheck.failed("credentials", e.getMessage(),
                    "give " + system + " a service account's JSON key in the environment variable its credentials name"));
        }
        return SheetsCheck.check(system, client, model);
    }

    private SheetsClient client(String system) {
        return client(system, registry.current().model().systems().get(system));
    }

    private SheetsClient client(String system, SystemDefinition definition) {
        if (definition == null || !NAME.equals(definition.type())) {
            throw new IllegalArgumentException("System '" + system + "' is not a google-sheets system");
        }
        SheetsSettings settings;
        try {
            settings = SheetsSettings.of(system, definition);
        } catch (IllegalArgumentException e) {
            throw new TargetRejectedException(system, 0, null, e.getMessage());
        }
        try {
            return new SheetsClient(system, settings, components, limiter);
        } catch (IllegalStateException unusable) {
            // the key is missing or no service account's key: no retry mends it
            throw new TargetRejectedException(system, 0, null, unusable.getMessage());
        }
    }

    private static SheetRange range(String system, SystemMapping mapping) {
        try {
            return SheetRange.parse(SheetsMappingSettings.of(mapping).resource());
        } catch (IllegalArgumentException e) {
            throw new TargetRejectedException(system, 0, null, system + ": " + e.getMessage());
        }
    }

    private SystemMapping mapping(String entity, String system) {
        return Mappings.of(registry.current().model(), entity, system);
    }
}
