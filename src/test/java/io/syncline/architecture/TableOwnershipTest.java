package io.syncline.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each state-store table is written by the one store that owns it (docs/architecture.md, "Who
 * writes which table"): a class, or the inbox's package, whose adapters and stores share its table;
 * everyone else goes through that store. ArchUnit cannot see SQL, so this
 * reads the sources: every INSERT INTO, UPDATE, DELETE FROM, MERGE INTO, COPY or TRUNCATE in a
 * string literal (adjacent literals joined by {@code +} read as one) names the table it writes.
 */
class TableOwnershipTest {

    /** Tables no Syncline class writes with SQL of its own. */
    private static final String NO_CLASS = "-";

    /**
     * Table -> the class that owns it (the only one that may write it), or the package whose classes
     * alone may; the same map as docs/architecture.md.
     */
    static final Map<String, String> OWNERS = Map.ofEntries(
            entry("inbox", "io.syncline.inbox"),
            entry("processed_key", "io.syncline.idempotency.ProcessedKeyRepository"),
            entry("record_state", "io.syncline.state.RecordStateRepository"),
            entry("audit_log", "io.syncline.audit.AuditLog"),
            entry("id_map", "io.syncline.matching.IdMapRepository"),
            entry("dead_letter", "io.syncline.deadletter.DeadLetterRepository"),
            entry("review_item", "io.syncline.review.ReviewQueueRepository"),
            entry("reconciliation_run", "io.syncline.reconcile.RunRepository"),
            entry("reconciliation_difference", "io.syncline.reconcile.DifferenceRepository"),
            entry("reconciliation_record", "io.syncline.reconcile.StagingRepository"),
            entry("privacy_request", "io.syncline.privacy.request.PrivacyRequestStore"),
            entry("privacy_request_part", "io.syncline.privacy.request.PrivacyRequestStore"),
            entry("privacy_tombstone", "io.syncline.tombstone.Tombstones"),
            entry("watermark", "io.syncline.poll.WatermarkRepository"),
            entry("watermark_key", "io.syncline.poll.WatermarkRepository"),
            entry("poll_start", "io.syncline.poll.PollStartRepository"),
            entry("key_diff", "io.syncline.poll.KeyDiffRepository"),
            entry("backfill_job", "io.syncline.backfill.BackfillJobRepository"),
            entry("backfill_item", "io.syncline.backfill.BackfillJobRepository"),
            entry("capture_offset", "io.syncline.capture.CaptureOffsetRepository"),
            entry("capture_schema_history", "io.syncline.capture.CaptureSchemaHistoryRepository"),
            entry("change_stream_position", "io.syncline.capture.ChangeStreamPositions"),
            entry("capture_resync", "io.syncline.capture.CaptureResyncRepository"),
            entry("source_activity", "io.syncline.metrics.SourceActivityStore"),
            entry("salesforce_call_budget", "io.syncline.connector.salesforce.SalesforceCallBudget"),
            entry("oauth_grant", "io.syncline.connector.rest.OAuthGrantRepository"),
            entry("webhook_secret", "io.syncline.webhook.WebhookSecrets"),
            entry("rate_limit", "io.syncline.connector.spi.SharedRateLimiter"),
            entry("sheet_row", "io.syncline.connector.sheets.SheetRowDigests"),
            entry("export_record", "io.syncline.connector.endpoint.ExportStore"),
            entry("export_run", "io.syncline.connector.endpoint.ExportStore"),
            entry("alert_notification", "io.syncline.alerting.SharedAlertStates"),
            entry("schema_field", "io.syncline.drift.SchemaDriftStore"),
            entry("schema_drift", "io.syncline.drift.SchemaDriftStore"),
            entry("rule_repeat", "io.syncline.rules.RepeatMarks"),
            // the demo's target system: written through the JDBC target like any target's table
            entry("demo_contact", NO_CLASS),
            // Quartz's own tables (clustered reconciliation schedules): Quartz writes them
            entry("qrtz_*", NO_CLASS));

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db");
    private static final Path ARCHITECTURE = Path.of("docs/architecture.md");

    private static final Pattern LITERAL =
            Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern WRITE = Pattern.compile("\\b(INSERT INTO|UPDATE|DELETE FROM|MERGE INTO|COPY|TRUNCATE(?: TABLE)?)"
            + "\\s+(?:IF EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern CREATE = Pattern.compile(
            "CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?([A-Za-z_][A-Za-z0-9_]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([a-z_*]+)` \\| (?:`([\\w.]+)`|-) \\|", Pattern.MULTILINE);

    @Test
    void eachTableIsWrittenOnlyByTheStoreThatOwnsIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> written : writes().entrySet()) {
            String writer = written.getKey();
            for (String table : written.getValue()) {
                String owner = OWNERS.get(ownerKey(table));
                if (owner != null && !ownedBy(writer, owner)) {
                    violations.add(writer + " writes " + table + " (owned by " + owner + ")");
                }
            }
        }
        assertThat(violations).as("tables written outside the store that owns them (docs/architecture.md)").isEmpty();
    }

    @Test
    void everyTableHasAnOwner() throws IOException {
        TreeSet<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher create = CREATE.matcher(Files.readString(file));
                while (create.find()) {
                    tables.add(create.group(1).toLowerCase());
                }
            }
        }
        assertThat(tables).as("the migrations create tables").isNotEmpty();
        assertThat(tables).allSatisfy(table -> assertThat(OWNERS).as("owner of %s", table).containsKey(ownerKey(table)));
    }

    @Test
    void theOwnersAreTheArchitecturePages() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = DOC_ROW.matcher(Files.readString(ARCHITECTURE));
        while (row.find()) {
            documented.put(row.group(1), row.group(2) == null ? NO_CLASS : row.group(2));
        }
        assertThat(documented).isEqualTo(new TreeMap<>(OWNERS));
    }

    /** Class -> the tables its SQL writes. */
    private static Map<String, List<String>> writes() throws IOException {
        Map<String, List<String>> writes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = SOURCES.relativize(file).toString();
                String className = relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
                // "UPDATE inbox" + " SET ..." is one statement: join adjacent literals first
                String source = Files.readString(file).replaceAll("\"\\s*\\+\\s*\"", "");
                Matcher literal = LITERAL.matcher(source);
                while (literal.find()) {
                    String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
                    Matcher write = WRITE.matcher(text);
                    while (write.find()) {
                        writes.computeIfAbsent(className, c -> new ArrayList<>()).add(write.group(2).toLowerCase());
                    }
                }
            }
        }
        return writes;
    }

    /** Whether class {@code writer} is {@code owner}, or a class of package {@code owner} (not of a subpackage). */
    private static boolean ownedBy(String writer, String owner) {
        return writer.equals(owner) || writer.substring(0, writer.lastIndexOf('.')).equals(owner);
    }

    /** A table's key in {@link #OWNERS}: Quartz's tables share one entry, a staging partition its parent's. */
    private static String ownerKey(String table) {
        if (table.startsWith("qrtz_")) {
            return "qrtz_*";
        }
        return table.startsWith("reconciliation_record_") ? "reconciliation_record" : table;
    }
}
