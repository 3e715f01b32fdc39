package io.syncline.sync;

import io.syncline.audit.AuditEntry;
import io.syncline.conflict.FieldConflict;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.state.RecordState;
import io.syncline.state.StreamPosition;
import io.syncline.store.StoreOutage;
import io.syncline.store.Writes;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applying one event to one target system: the state-store transaction that claims the event's
 * idempotency key and records the new state, and what each stage of the apply route learned
 * on the way (the target's row, the resolved values, what was written). It travels with the
 * exchange as property {@value ExchangeContract#SYNC_UNIT} from {@code SyncGuard.admit} to {@code SyncGuard.commit}.
 */
public final class SyncUnit {

    private static final Logger LOG = Logger.getLogger(SyncUnit.class);

    /** The event's exchange: the target id goes on it for the hooks ({@link ExchangeContract#TARGET_ID}). */
    private final Exchange exchange;
    private final String target;
    private final CanonicalRecord record;
    private final String eventKey;
    private final String runId;
    private final Long inboxId;
    private final Instant sourceTimestamp;
    private final Connection connection;
    /** The batch whose transaction the unit borrowed, or null: the unit commits its own. */
    private final ApplyBatch batch;
    /** The unit is its record's first in its batch: it may take what the batch read ahead. */
    private final boolean firstOfRecord;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Runnable> onCommitted = new ArrayList<>();
    /** Undoes, should the unit not commit, what it wrote where its transaction does not reach. */
    private final List<Undo> undos = new ArrayList<>();
    private Optional<RecordState> targetState = Optional.empty();
    private Optional<RecordState> sourceState = Optional.empty();
    private String targetId;
    private Map<String, Object> targetValues;
    private String matchRule;
    private Map<String, Object> values;
    private Map<String, String> valueSources = Map.of();
    private List<FieldConflict> conflicts = List.of();
    private Set<String> lateFields = Set.of();
    private boolean resync;
    private StreamPosition streamPosition;
    private boolean sourceWritten;
    private AuditEntry.Action action;
    private Map<String, AuditEntry.FieldChange> diff;
    private boolean linked;
    private Map<String, QuantityChanges.Change> quantityChanges = Map.of();
    private io.syncline.state.QuantityMarks quantityMarks;
    private final Map<String, Object> quantitiesHeld = new java.util.LinkedHashMap<>();
    private boolean open = true;

    SyncUnit(Exchange exchange, String target, CanonicalRecord record, String eventKey, String runId, Long inboxId,
            Instant sourceTimestamp, Connection connection, ApplyBatch batch, boolean firstOfRecord) {
        this.exchange = exchange;
        this.target = target;
        this.batch = batch;
        this.firstOfRecord = firstOfRecord;
        this.record = record;
        this.eventKey = eventKey;
        this.runId = runId;
        this.inboxId = inboxId;
        this.sourceTimestamp = sourceTimestamp;
        this.connection = connection;
    }

    /** The unit the apply route's idempotent consumer opened; a clear error when a stage runs outside it. */
    public static SyncUnit of(Exchange exchange) {
        SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        if (unit == null || !unit.open) {
            throw new IllegalStateException("No open sync unit on the exchange: the target and conflict stages run among"
                    + " the steps of the apply route's idempotentConsumer (repository TransactionalIdempotentRepository)");
        }
        return unit;
    }

    public String target() {
        return target;
    }

    public CanonicalRecord record() {
        return record;
    }

    public String entity() {
        return record.entity();
    }

    public String eventKey() {
        return eventKey;
    }

    public String runId() {
        return runId;
    }

    public Long inboxId() {
        return inboxId;
    }

    /** Which attempt at its inbox event this is, from 1 ({@link ExchangeContract#INBOX_ATTEMPTS}); 1 outside the inbox. */
    int attempt() {
        return exchange.getProperty(ExchangeContract.INBOX_ATTEMPTS, 1, Integer.class);
    }

    /** The change's own modification time (the entity's {@code modifiedAt}), if it has one. */
    public Instant sourceTimestamp() {
        return sourceTimestamp;
    }

    /**
     * Where the unit's record states, audit entry and inbox completion go: its own connection, at
     * once; in a batch, the batch's writes, sent together before the batch commits.
     */
    public Writes writes() {
        return batch != null ? batch.writes() : Writes.immediate(connection);
    }

    /** The state store, in the unit's transaction. */
    public Connection connection() {
        return connection;
    }

    /**
     * A connection to another database than the state store's ({@code name}, a JDBC target's
     * datasource): in a batch, the batch's transaction there; alone, a connection of its own that
     * commits each statement and is closed with the unit.
     */
    public Connection otherConnection(String name, ApplyBatch.ConnectionSource source) throws SQLException {
        if (batch != null) {
            return batch.otherConnection(name, source);
        }
        Optional<Connection> open = resource(Connection.class);
        return open.isPresent() ? open.get() : attach(source.open());
    }

    /**
     * Called by a stage before it writes where no transaction of the unit's reaches (an HTTP
     * API): in an {@link ApplyBatch}, whose rollback could not undo the write,
     * it throws {@link ApplyBatchRefusedException} instead, and the event is applied on its own.
     */
    public void outsideTransaction(String write) {
        if (batch != null) {
            throw new ApplyBatchRefusedException(write);
        }
    }

    /** The batch whose transaction the unit borrowed; null when it has its own. */
    ApplyBatch batch() {
        return batch;
    }

    /**
     * Whether the unit borrowed a batch's transaction: its {@link #writes()} are then sent
     * together before the batch commits, and one that inserts nothing fails the whole batch.
     */
    public boolean batched() {
        return batch != null;
    }

    /**
     * In a batch: the record's canonical id was made there, new to the ID map, so no target links
     * it yet and its match rules will search the target.
     */
    public boolean newInBatch() {
        return batch != null && batch.madeIdentity(record.canonicalId());
    }

    /** In a batch: the unit is the first of its record there ({@link ApplyBatch#beginUnit}). */
    boolean firstOfRecord() {
        return firstOfRecord;
    }

    /** Runs the action once what the unit wrote is committed: at once after its own commit, or after its batch's. */
    void afterCommit(Runnable action) {
        if (batch != null) {
            batch.afterCommit(action);
        } else {
            action.run();
        }
    }

    /** Closed with the unit: a target connection, for instance. */
    public <T extends AutoCloseable> T attach(T resource) {
        resources.add(resource);
        return resource;
    }

    /** The first attached resource of a type, to reuse it across stages. */
    public <T> Optional<T> resource(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** A write outside the unit's transaction, undone should the unit roll back. */
    @FunctionalInterface
    public interface Undo {

        void run() throws Exception;
    }

    /**
     * Registers the undoing of a write the unit made where its transaction does not reach and
     * that a retry would repeat rather than rewrite (a quantity added in another database): run
     * if the unit rolls back or its commit fails, so that the retry counts the change once.
     */
    public void undoOnRollback(Undo undo) {
        undos.add(undo);
    }

    private void undo() {
        for (Undo each : undos) {
            try {
                each.run();
            } catch (Exception e) {
                LOG.errorf("Undoing a write to %s of %s %s after its sync did not commit failed: %s; its retry applies it again",
                        target, record.entity(), record.sourceId(), e.getMessage());
            }
        }
        undos.clear();
    }

    /** A remark for the audit entry's detail. */
    public void note(String remark) {
        notes.add(remark);
    }

    public List<String> notes() {
        return notes;
    }

    /** Runs the action once the unit's write is committed (after its batch's commit); never when it is not. */
    void onCommitted(Runnable action) {
        onCommitted.add(action);
    }

    List<Runnable> committedActions() {
        return onCommitted;
    }

    public Optional<RecordState> targetState() {
        return targetState;
    }

    public Optional<RecordState> sourceState() {
        return sourceState;
    }

    void states(Optional<RecordState> source, Optional<RecordState> target) {
        this.sourceState = source;
        this.targetState = target;
    }

    /** The target's id of the record and its current values in canonical form; both null if it has none. */
    public void matched(String id, Map<String, Object> currentValues, String rule) {
        targetId(id);
        this.targetValues = currentValues;
        this.matchRule = rule;
    }

    public String targetId() {
        return targetId;
    }

    private void targetId(String id) {
        this.targetId = id;
        if (id == null) {
            exchange.removeProperty(ExchangeContract.TARGET_ID);
        } else {
            exchange.setProperty(ExchangeContract.TARGET_ID, id);
        }
    }

    /** The target id is the one the ID map holds for the record: it needs no linking. */
    public void linkedAlready() {
        this.linked = true;
    }

    public boolean linked() {
        return linked;
    }

    public Map<String, Object> targetValues() {
        return targetValues;
    }

    public String matchRule() {
        return matchRule;
    }

    /**
     * The canonical values to write, as the conflict processor resolved them, with the system
     * each value came from (provenance) and the conflicts it decided.
     */
    public void resolved(Map<String, Object> resolvedValues, Map<String, String> sources, List<FieldConflict> decided) {
        this.values = resolvedValues;
        this.valueSources = sources;
        this.conflicts = decided;
    }

    /**
     * As {@link #resolved(Map, Map, List)}, naming the incoming fields that were late reports of
     * values Syncline had overwritten in the source: the source's record state keeps what it holds.
     */
    public void resolved(Map<String, Object> resolvedValues, Map<String, String> sources, List<FieldConflict> decided,
            Set<String> late) {
        resolved(resolvedValues, sources, decided);
        this.lateFields = Set.copyOf(late);
    }

    public Set<String> lateFields() {
        return lateFields;
    }

    /** A deliberate re-sync of the master's last known values (the sync-before-ship gate), not a change. */
    public boolean resync() {
        return resync;
    }

    void resync(boolean deliberate) {
        this.resync = deliberate;
    }

    /** Where the change stands in its source's change stream; null for an event no change stream gave. */
    public StreamPosition streamPosition() {
        return streamPosition;
    }

    void streamPosition(StreamPosition position) {
        this.streamPosition = position;
    }

    /** Syncline itself just wrote the event's source (the first write of a two-way review resolution). */
    public boolean sourceWritten() {
        return sourceWritten;
    }

    void sourceWritten(boolean written) {
        this.sourceWritten = written;
    }

    public Map<String, Object> values() {
        return values;
    }

    /**
     * The resolved values as the target is to be written: {@link #values()}, whose references hold
     * canonical ids, with each as the target's id of the record it names ({@link ParentLinks}).
     */
    public Map<String, Object> valuesForTarget() {
        ParentLinks links = ParentLinks.of(exchange);
        return links == null ? values : links.toTarget(values);
    }

    /** Values read from the target, with their references as canonical ids ({@link ParentLinks}); as read without references. */
    public Map<String, Object> fromTarget(Map<String, Object> read) {
        ParentLinks links = ParentLinks.of(exchange);
        return links == null ? read : links.fromTarget(read);
    }

    void quantities(Map<String, QuantityChanges.Change> changes, io.syncline.state.QuantityMarks marks) {
        this.quantityChanges = Map.copyOf(changes);
        this.quantityMarks = marks;
    }

    /**
     * Per quantity field, the amount the target stage adds to the target's value (docs/adr/0019):
     * a stage that adds in place (JDBC) applies each once, with the event's idempotency key,
     * reports it through {@link #quantityApplied} and leaves the field's sum in {@link #values()}
     * unwritten; any other writes that sum.
     */
    public Map<String, java.math.BigDecimal> quantityIncrements() {
        Map<String, java.math.BigDecimal> increments = new java.util.LinkedHashMap<>();
        quantityChanges.forEach((field, change) -> {
            if (change.change() != null && change.change().signum() != 0) {
                increments.put(field, change.change());
            }
        });
        return increments;
    }

    /** The target stage added {@code change} to the field, which now holds {@code now} there (null: not read back). */
    public void quantityApplied(String field, java.math.BigDecimal change, Object now) {
        quantityMarks = quantityMarks.withApplied(field, change);
        quantitiesHeld.put(field, now);
        note(field + " " + (change.signum() > 0 ? "+" : "") + change.toPlainString() + " applied"
                + (now == null ? "" : ", now " + now));
    }

    /**
     * The target's quantity marks once the unit commits; null when the entity has no quantity. A
     * change the target stage did not add in place was written as the sum (read, then write): it
     * counts as applied all the same.
     */
    io.syncline.state.QuantityMarks quantityMarks() {
        io.syncline.state.QuantityMarks marks = quantityMarks;
        if (marks != null && values != null && action != null && action != AuditEntry.Action.UNCHANGED) {
            for (Map.Entry<String, java.math.BigDecimal> change : quantityIncrements().entrySet()) {
                if (!quantitiesHeld.containsKey(change.getKey()) && values.containsKey(change.getKey())) {
                    marks = marks.withApplied(change.getKey(), change.getValue());
                }
            }
        }
        return marks;
    }

    /** The quantities the target holds after the unit's increments, read back. */
    Map<String, Object> quantitiesHeld() {
        return quantitiesHeld;
    }

    public Map<String, String> valueSources() {
        return valueSources;
    }

    public List<FieldConflict> conflicts() {
        return conflicts;
    }

    /** What the target write did. */
    public void written(String id, AuditEntry.Action what, Map<String, AuditEntry.FieldChange> changes) {
        targetId(id);
        this.action = what;
        this.diff = changes;
    }

    public AuditEntry.Action action() {
        return action;
    }

    public Map<String, AuditEntry.FieldChange> diff() {
        return diff;
    }

    /** Commits the unit's transaction; in a batch, leaves it to the batch's commit. */
    void commit() throws SQLException {
        try {
            if (batch == null) {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            undo();
            throw e;
        } finally {
            close();
        }
    }

    /** Undoes the unit's state changes (in a batch: the whole batch's); safe to call more than once. */
    public void rollback() {
        if (!open) {
            return;
        }
        undo();
        if (batch != null) {
            batch.abort(null);
            close();
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            // A connection the store lost rolls back by itself (the server ends its transaction);
            // the store's probe reports the outage once (io.syncline.store.StateStoreProbe).
            LOG.logf(StoreOutage.isOutage(e) ? Logger.Level.DEBUG : Logger.Level.WARN,
                    "Rolling back the sync of %s %s failed: %s", record.entity(), record.sourceId(), e.getMessage());
        } finally {
            close();
        }
    }

    private void close() {
        open = false;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debugf("Closing %s failed: %s", resource, e.getMessage());
            }
        }
        if (batch != null) {
            return;
        }
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("Closing the state connection failed: %s", e.getMessage());
        }
    }

    public boolean isOpen() {
        return open;
    }
}
