package io.syncline.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.store.Page;
import io.syncline.text.Csv;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The audit entries a filter takes, written out as CSV or JSON lines while they are read: page
 * after page of {@value #PAGE} by the trail's cursor, each page on a connection of its own and
 * written before the next is read, so that an export of millions of entries holds one page in
 * memory and no transaction open.
 */
@ApplicationScoped
public class AuditExport {

    static final int PAGE = 1000;
    private static final String[] COLUMNS = {"id", "occurred_at", "action", "entity", "canonical_id", "source_system",
            "source_id", "target_system", "target_id", "run_id", "inbox_id", "event_key", "version_hash", "diff", "detail", "actor"};

    /** How an export is written. */
    public enum Format {

        CSV("text/csv; charset=utf-8", "csv"),
        /** One JSON object a line (JSON Lines, also called NDJSON). */
        JSONL("application/x-ndjson", "jsonl");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() {
            return mediaType;
        }

        public String extension() {
            return extension;
        }

        /** The format a {@code format} parameter ({@code csv}, {@code jsonl}) names; empty for another. */
        public static Optional<Format> named(String name) {
            for (Format format : values()) {
                if (format.extension.equalsIgnoreCase(name)) {
                    return Optional.of(format);
                }
            }
            return Optional.empty();
        }

        /** The format an {@code Accept} header asks for: CSV for {@code text/csv}, else JSON lines. */
        public static Format accepted(String accept) {
            return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv") ? CSV : JSONL;
        }
    }

    @Inject
    AuditTrail trail;
    @Inject
    ObjectMapper mapper;

    /** Writes every entry {@code filter} takes, newest first, to {@code out} (flushed after each page, not closed). */
    public void write(AuditFilter filter, Format format, OutputStream out) throws IOException, SQLException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        if (format == Format.CSV) {
            text.write(Csv.header(COLUMNS));
        }
        String cursor = null;
        do {
            Page<AuditRecord> page = trail.page(filter, cursor, PAGE);
            for (AuditRecord entry : page.items()) {
                text.write(format == Format.CSV ? csv(entry) : mapper.writeValueAsString(json(entry)) + "\n");
            }
            text.flush();
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    private static String csv(AuditRecord e) {
        return Csv.row(e.id(), e.occurredAt(), e.action(), e.entity(), e.canonicalId(), e.sourceSystem(), e.sourceId(),
                e.targetSystem(), e.targetId(), e.runId(), e.inboxId(), e.eventKey(), e.versionHash(), e.diff(), e.detail(),
                e.actor());
    }

    /** An entry as the API answers it: its diff as JSON (as text where it is not JSON), times in ISO-8601 UTC. */
    public Map<String, Object> json(AuditRecord e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", e.id());
        entry.put("occurredAt", e.occurredAt().toString());
        entry.put("action", e.action());
        entry.put("entity", e.entity());
        entry.put("canonicalId", e.canonicalId());
        entry.put("sourceSystem", e.sourceSystem());
        entry.put("sourceId", e.sourceId());
        entry.put("targetSystem", e.targetSystem());
        entry.put("targetId", e.targetId());
        entry.put("runId", e.runId());
        entry.put("inboxId", e.inboxId());
        entry.put("eventKey", e.eventKey());
        entry.put("versionHash", e.versionHash());
        entry.put("diff", diff(e.diff()));
        entry.put("detail", e.detail());
        entry.put("actor", e.actor());
        return entry;
    }

    private Object diff(String diff) {
        if (diff == null) {
            return null;
        }
        try {
            return mapper.readTree(diff);
        } catch (JsonProcessingException notJson) {
            return diff;
        }
    }
}
