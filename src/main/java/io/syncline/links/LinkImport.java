package io.syncline.links;

import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.SystemRecord;
import io.syncline.model.EntityDefinition;
import io.syncline.store.CanonicalRef;
import io.syncline.store.DeferredWrites;
import io.syncline.store.RowExistsException;
import io.syncline.text.StrictUtf8;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Imports links into the cross-system ID map from a CSV ({@link LinkCsv}), for records an earlier
 * tool already matched. The body is first copied to a temporary file as it streams, strictly
 * UTF-8, and every row checked (its cells, its entity and systems against the model): a file with
 * one malformed row links nothing. Then the rows are decided and linked a batch of
 * {@value #BATCH} at a time, each batch read from and written to the ID map with a few set-based
 * statements ({@link IdMapRepository#linksOf}, {@link IdMapRepository#linkNew}) in one
 * transaction with an audit entry per link. A dry run is the same import in one transaction that
 * is rolled back at the end, so that it answers exactly what the import would do, rows that
 * depend on earlier rows included.
 */
@ApplicationScoped
public class LinkImport {

    static final int BATCH = 1000;
    /** A batch another writer's link overtook is decided again, at most this often. */
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = Logger.getLogger(LinkImport.class);

    /** Takes each row's outcome as soon as its batch is decided (and, in a run, committed). */
    @FunctionalInterface
    public interface RowSink {

        void accept(LinkOutcome outcome) throws IOException;
    }

    /** An import's totals: rows by outcome, and the ID map links made (or a dry run would make). */
    public record Summary(String importId, boolean dryRun, long rows, long linked, long alreadyLinked, long conflicts,
            long links) {
    }

    /** A checked body, spooled to a file of its own (removed on close), and the import's id (its audit run id). */
    public record CheckedLinks(Path file, long rows, String importId) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    IdMapRepository idMap;
    @Inject
    AuditLog audit;
    @Inject
    SyncModelRegistry registry;

    /**
     * Reads the body whole and checks every row.
     *
     * @throws MalformedLinkException naming the first row that breaks a rule, with its line and column
     * @throws io.syncline.text.InvalidEncodingException when the body is not UTF-8
     */
    public CheckedLinks check(InputStream body) throws IOException {
        Path file = Files.createTempFile("syncline-links-", ".csv");
        file.toFile().deleteOnExit();
        try {
            try (Reader text = StrictUtf8.reader(body); Writer copy = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                text.transferTo(copy);
            }
            long rows = 0;
            Map<String, EntityDefinition> entities = registry.current().model().entities();
            try (LinkCsv csv = open(file)) {
                for (LinkRow row = csv.next(); row != null; row = csv.next()) {
                    checkAgainstModel(row, entities);
                    rows++;
                }
            }
            return new CheckedLinks(file, rows, "import-" + UUID.randomUUID());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static void checkAgainstModel(LinkRow row, Map<String, EntityDefinition> entities) {
        EntityDefinition entity = entities.get(row.entity());
        if (entity == null) {
            throw new MalformedLinkException(row.line(), "entity", "the model has no entity '" + row.entity() + "'; it has "
                    + new TreeSet<>(entities.keySet()));
        }
        String column = "system";
        for (String system : row.isPair() ? List.of(row.system(), row.otherSystem()) : List.of(row.system())) {
            if (!entity.mappings().containsKey(system)) {
                throw new MalformedLinkException(row.line(), column, row.entity() + " has no mapping for system '" + system
                        + "'; it has " + new TreeSet<>(entity.mappings().keySet()));
            }
            column = "other_system";
        }
        if (row.isPair() && row.system().equals(row.otherSystem())) {
            throw new MalformedLinkException(row.line(), "other_system", "a record is linked to one id a system;"
                    + " name two different systems");
        }
    }

    /**
     * Decides and links the checked rows, each row's outcome to {@code sink} as its batch is done;
     * with {@code dryRun} nothing stays. A failure keeps the batches committed before it (running the
     * import again reports them as already linked).
     */
    public Summary run(CheckedLinks links, boolean dryRun, String user, RowSink sink) throws IOException, SQLException {
        long[] counts = new long[LinkOutcome.Kind.values().length];
        long made = 0;
        try (Connection connection = dataSource.getConnection(); LinkCsv csv = open(links.file())) {
            connection.setAutoCommit(false);
            try {
                for (List<LinkRow> batch = csv.next(BATCH); !batch.isEmpty(); batch = csv.next(BATCH)) {
                    Decided decided = batch(connection, batch, dryRun, links.importId(), user);
                    if (!dryRun) {
                        connection.commit();
                    }
                    made += decided.view().newLinks().size();
                    for (LinkOutcome outcome : decided.outcomes()) {
                        counts[outcome.kind().ordinal()]++;
                        sink.accept(outcome);
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
        LOG.infof("ID map import %s by %s%s: %d links made of %d rows", links.importId(), user, dryRun ? " (dry run)" : "",
                made, links.rows());
        return new Summary(links.importId(), dryRun, links.rows(),
                counts[LinkOutcome.Kind.LINKED.ordinal()] + counts[LinkOutcome.Kind.WOULD_LINK.ordinal()],
                counts[LinkOutcome.Kind.ALREADY_LINKED.ordinal()], counts[LinkOutcome.Kind.CONFLICT.ordinal()], made);
    }

    /** One batch decided and written within a savepoint, decided again if a link of another writer overtook it. */
    private Decided batch(Connection connection, List<LinkRow> rows, boolean dryRun, String importId, String user)
            throws SQLException {
        for (int attempt = 1;; attempt++) {
            Savepoint before = connection.setSavepoint();
            try {
                Decided decided = decide(connection, rows, dryRun);
                write(connection, decided.view().newLinks(), dryRun, importId, user);
                connection.releaseSavepoint(before);
                return decided;
            } catch (RowExistsException overtaken) {
                connection.rollback(before);
                if (attempt == ATTEMPTS) {
                    throw overtaken;
                }
            }
        }
    }

    private Decided decide(Connection connection, List<LinkRow> rows, boolean dryRun) throws SQLException {
        List<SystemRecord> records = new ArrayList<>();
        List<CanonicalRef> canonical = new ArrayList<>();
        for (LinkRow row : rows) {
            records.add(new SystemRecord(row.entity(), row.system(), row.systemId()));
            if (row.isPair()) {
                records.add(new SystemRecord(row.entity(), row.otherSystem(), row.otherSystemId()));
            } else {
                canonical.add(new CanonicalRef(row.entity(), row.canonicalId()));
            }
        }
        LinkView view = new LinkView(idMap.linksOf(connection, records, canonical));
        LinkOutcome.Kind linked = dryRun ? LinkOutcome.Kind.WOULD_LINK : LinkOutcome.Kind.LINKED;
        List<LinkOutcome> outcomes = new ArrayList<>(rows.size());
        for (LinkRow row : rows) {
            outcomes.add(view.decide(row, linked));
        }
        return new Decided(view, outcomes);
    }

    /** The batch's new links and, in a run, an audit entry each, sent together as multi-row statements. */
    private void write(Connection connection, List<LinkView.NewLink> links, boolean dryRun, String importId, String user)
            throws SQLException {
        try (DeferredWrites writes = new DeferredWrites(connection)) {
            for (LinkView.NewLink link : links) {
                idMap.linkNew(writes, link.entity(), link.canonicalId(), link.record().system(), link.record().systemId());
                if (!dryRun) {
                    audit.record(writes, new AuditEntry(AuditEntry.Action.LINKED, link.entity(), link.canonicalId(),
                            link.with() == null ? null : link.with().system(), link.with() == null ? null : link.with().systemId(),
                            link.record().system(), link.record().systemId(), importId, null, null, null, null,
                            "ID map import, line " + link.line(), user));
                }
            }
            writes.flush();
        }
    }

    private static LinkCsv open(Path file) throws IOException {
        return new LinkCsv(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /** A batch decided: the view with its new links, and the outcome of each of its rows, in order. */
    private record Decided(LinkView view, List<LinkOutcome> outcomes) {
    }
}
