package io.syncline.connector.harvest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code harvest}: Harvest's API v2. The preset ({@code presets/harvest.yaml}) fixes what
 * Harvest fixes for every account (the bearer token, the {@code Harvest-Account-Id} and
 * {@code User-Agent} headers, bare records listed under the object's plural, pages followed by
 * {@code links.next}, 100 requests in 15 seconds); this plug-in does what data cannot say:
 * <ul>
 *   <li>a time entry is created in a project and a task ({@code project_id}, {@code task_id}, both
 *   required): the system's {@code settings.project} and {@code settings.task}, sent as the integers
 *   Harvest takes, unless the record names its own;</li>
 *   <li>Harvest lists time entries by {@code spent_date} and takes no other order, while a poll reads
 *   changes oldest first: the changes since the watermark ({@code updated_since}) are read to the
 *   last page, then handed on in the order of their modification time, then key. A poll that does
 *   not reach the last page hands on nothing, since a page it did not read may hold an older change.</li>
 * </ul>
 * Harvest sends no webhooks; its changes come by polling.
 */
@Singleton
public class HarvestSystemType extends RestPresetType {

    public static final String NAME = "harvest";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of());

    /** The system's setting naming the project new time entries are created in. */
    static final String PROJECT = "project";
    /** The system's setting naming the task new time entries are created for. */
    static final String TASK = "task";

    public HarvestSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code POST /time_entries} with {@code project_id} and {@code task_id} from the settings where the record names none. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        Map<String, Object> record = new LinkedHashMap<>(write(row));
        Map<String, String> settings = target(entity, system).definition().settings();
        placed(record, "project_id", settings.get(PROJECT));
        placed(record, "task_id", settings.get(TASK));
        return super.create(entity, system, record);
    }

    private static void placed(Map<String, Object> record, String field, String setting) {
        if (setting != null && record.get(field) == null) {
            record.put(field, Long.parseLong(setting));
        }
    }

    /** Changes read to the last page, then handed on oldest first; any other pull page by page. */
    @Override
    protected PullResult pull(RecordPuller pages, PullRequest request, PageSink sink) throws PullException {
        return request.changes() == null ? pages.pull(request, sink) : oldestFirst(pages, request, sink);
    }

    /** Every page of the changes read, then handed on in pages of the request's size, oldest change first. */
    private static PullResult oldestFirst(RecordPuller pages, PullRequest request, PageSink sink) throws PullException {
        List<Map<String, Object>> changes = new ArrayList<>();
        PullResult read = pages.pull(request, changes::addAll);
        if (!read.reachedEnd()) {
            return PullResult.endedEarly(0, 0, read.reportedTotal(), read.problem());
        }
        String key = request.mapping().key();
        changes.sort(Comparator.comparing((Map<String, Object> change) -> changedAt(change, request.changes().path()),
                Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(change -> String.valueOf(FieldPaths.get(change, key))));
        long handed = 0;
        for (int from = 0; from < changes.size(); from += request.pageSize()) {
            List<Map<String, Object>> page = changes.subList(from, Math.min(changes.size(), from + request.pageSize()));
            try {
                sink.accept(page);
            } catch (Exception e) {
                throw new PullException(request.systemName() + ": staging changes failed: " + e.getMessage(), e);
            }
            handed++;
        }
        return PullResult.complete(handed, changes.size(), read.reportedTotal());
    }

    /** Harvest's {@code updated_at} ({@code 2017-06-27T16:01:23Z}); null where a record has none or another form. */
    private static Instant changedAt(Map<String, Object> change, String path) {
        Object value = FieldPaths.get(change, path);
        try {
            return value == null ? null : Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
