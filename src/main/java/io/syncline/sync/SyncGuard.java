package io.syncline.sync;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.audit.FieldDiff;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.idempotency.ProcessedKeyRepository;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.CanonicalValues;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.mapping.RecordTransformer;
import io.syncline.metrics.SyncMetrics;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Opens and closes the transaction that applies one event to one target, for the apply
 * templates' idempotent consumer ({@link TransactionalIdempotentRepository}).
 *
 * <p>{@link #admit} claims the event's key
 * (the sender's event id, else the source record id and version hash) in a new state-store
 * transaction, then drops a duplicate, an echo of Syncline's own write, or a stale change,
 * each audited. An admitted event leaves the unit open and property {@value ExchangeContract#VERDICT} =
 * {@code apply}; the route's next stages find, resolve and write.
 *
 * <p>{@link #commit} records the new record state and the audit entry, and commits
 * them with the key and, for an event from the inbox, its status done: all land, or none, so a
 * crash at any instant leaves the event to be applied again, never half-recorded. An event the
 * inbox applies in an {@link ApplyBatch} borrows the batch's transaction instead, and commits
 * with the batch's other events: the same all-or-nothing, for several events at once. Both stages
 * take the exchange of one event or of a batch's events ({@link ApplyEvents}).
 *
 * <p>In a dry run ({@link ExchangeContract#DRY_RUN}) the unit is rolled back where it would be
 * committed, its outcome left on the exchange ({@link DryRunOutcome}): nothing of it is stored.
 */
@ApplicationScoped
@Named("SyncGuard")
@RegisterForReflection
public class SyncGuard {

    private static final Logger LOG = Logger.getLogger(SyncGuard.class);

    /** The {@value ExchangeContract#VERDICT} of an event to be applied. */
    public static final String APPLY = "apply";

    private final AgroalDataSource dataSource;
    private final SyncModelRegistry registry;
    private final ProcessedKeyRepository processedKeys;
    private final RecordStateRepository states;
    private final AuditLog audit;
    private final SyncMetrics metrics;
    private final EventCompletion inbox;
    private final BatchReadAhead readAhead;
    private final StreamPositionResolver streamPositions;
    /** Digests of sensitive values (docs/privacy.md, "Sensitive fields"). */
    @jakarta.inject.Inject
    SensitiveValues sensitive;
    /** The master's quantity pushed on to the other systems ({@code write: master}). */
    @jakarta.inject.Inject
    QuantityPushes quantityPushes;

    public SyncGuard(AgroalDataSource dataSource, SyncModelRegistry registry, ProcessedKeyRepository processedKeys,
            RecordStateRepository states, AuditLog audit, SyncMetrics metrics, EventCompletion inbox,
            BatchReadAhead readAhead, StreamPositionResolver streamPositions) {
        this.inbox = inbox;
        this.streamPositions = streamPositions;
        this.readAhead = readAhead;
        this.dataSource = dataSource;
        this.registry = registry;
        this.processedKeys = processedKeys;
        this.states = states;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Admits the exchange's event, or each of its batch's events ({@link ApplyEvents}); a batch's
     * exchange takes verdict {@code apply} when any of its events did, for the route's filter.
     *
     * @throws ApplyBatchDependentException two events of the batch are of one canonical record:
     *                                      the later must see the earlier's record state
     */
    public void admit(String target, Exchange exchange) throws Exception {
        if (!ApplyEvents.batch(exchange)) {
            admitEvent(target, exchange);
            return;
        }
        List<Exchange> events = ApplyEvents.all(exchange);
        Set<String> records = new HashSet<>();
        for (Exchange event : events) {
            CanonicalRecord record = event.getMessage().getMandatoryBody(CanonicalRecord.class);
            if (!records.add(record.entity() + "/" + record.canonicalId())) {
                throw new ApplyBatchDependentException(record.entity() + " " + record.canonicalId() + " twice");
            }
        }
        ApplyEvents.forEach(exchange, event -> admitEvent(target, event));
        boolean any = events.stream().anyMatch(event -> APPLY.equals(event.getProperty(ExchangeContract.VERDICT)));
        exchange.setProperty(ExchangeContract.VERDICT, any ? APPLY : "none");
    }

    private void admitEvent(String target, Exchange exchange) throws Exception {
        CanonicalRecord record = exchange.getMessage().getMandatoryBody(CanonicalRecord.class);
        if (record.canonicalId() == null) {
            throw new IllegalStateException("The record has no canonical id: the ID map stage (RecordIdentifier) comes before the idempotent consumer");
        }
        RecordTransformer transformer = registry.current().transformer();
        Long inboxId = exchange.getProperty(ExchangeContract.INBOX_ID, Long.class);
        String eventId = exchange.getProperty(ExchangeContract.EVENT_ID, String.class);
        String eventKey = eventId != null ? "event:" + eventId : "version:" + record.sourceId() + ":" + record.versionHash();
        String runId = exchange.getProperty(ExchangeContract.RUN_ID,
                inboxId != null ? "inbox-" + inboxId : "exchange-" + exchange.getExchangeId(), String.class);
        boolean resync = ExchangeContract.ORIGIN_RESYNC.equals(exchange.getProperty(ExchangeContract.ORIGIN, String.class));
        UnitClaim claim = exchange.getProperty(ExchangeContract.UNIT_CLAIM, UnitClaim.class);

        // In a batch of inbox events the unit borrows the batch's transaction; otherwise it has its own.
        ApplyBatch batch = ApplyBatch.of(exchange);
        boolean firstOfRecord = batch != null && batch.beginUnit(record.entity(), record.canonicalId());
        Connection connection = batch != null ? batch.connection() : dataSource.getConnection();
        if (batch == null) {
            connection.setAutoCommit(false);
        }
        SyncUnit unit = new SyncUnit(exchange, target, record, eventKey, runId, inboxId, modifiedAt(transformer, record),
                connection, batch, firstOfRecord);
        unit.resync(resync);
        unit.streamPosition(eventId == null ? null : streamPositions.position(eventId).orElse(null));
        unit.sourceWritten(Boolean.TRUE.equals(exchange.getProperty(ExchangeContract.SOURCE_WRITTEN, Boolean.class)));
        exchange.setProperty(ExchangeContract.SYNC_UNIT, unit);
        if (batch == null) {
            // Safety net: whatever happens to the exchange, its transaction and connection do not outlive
            // it. (A batch's units borrow its transaction, which the batch's end closes.)
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

                @Override
                public void onDone(Exchange done) {
                    if (unit.isOpen()) {
                        LOG.errorf("Route %s ended with the sync unit of %s %s open (never committed): rolled back",
                                done.getFromRouteId(), record.entity(), record.sourceId());
                        unit.rollback();
                    }
                }
            });
        }
        try {
            if (claim != null) {
                claim.claim(connection);
                if (claim.note() != null) {
                    unit.note(claim.note());
                }
            }
            if (!claimKey(unit, target, eventKey)) {
                skip(exchange, unit, AuditEntry.Action.SKIPPED_DUPLICATE, SyncMetrics.Outcome.DUPLICATE,
                        "event " + eventKey + " was already applied to " + target);
                return;
            }
            StatePair states = lockStates(unit, record, target);
            unit.states(states.source(), states.target());
            String fingerprint = EchoFingerprint.of(transformer, record.entity(), record.sourceSystem(),
                    sensitive.seal(record.entity(), record.fields()));
            // A re-sync deliberately pushes values already synced: neither an echo nor stale; nor is an
            // applied event a shadow replay decides again in a sandbox, against the state it left.
            boolean replayed = Boolean.TRUE.equals(exchange.getProperty(ExchangeContract.SHADOW_REPLAY, Boolean.class))
                    && Boolean.TRUE.equals(exchange.getProperty(ExchangeContract.SANDBOX, Boolean.class));
            // A quantity's change (an order's line) adds to what the others added, in any order: an
            // older one is no stale value, and its time orders nothing (docs/adr/0019).
            Instant ordered = carriesChange(transformer, record) ? null : unit.sourceTimestamp();
            EventVerdictPolicy.Verdict verdict = resync || replayed ? new EventVerdictPolicy.Verdict(EventVerdictPolicy.Outcome.APPLY, null)
                    : EventVerdictPolicy.decide(record, ordered, unit.streamPosition(), unit.sourceState(),
                            unit.targetState(), fingerprint);
            switch (verdict.outcome()) {
                case ECHO -> skip(exchange, unit, AuditEntry.Action.ECHO, SyncMetrics.Outcome.ECHO, verdict.reason());
                case STALE -> skip(exchange, unit, AuditEntry.Action.SKIPPED_STALE, SyncMetrics.Outcome.STALE, verdict.reason());
                default -> exchange.setProperty(ExchangeContract.VERDICT, APPLY);
            }
        } catch (Exception e) {
            unit.rollback();
            throw e;
        }
    }

    /** Whether the record says by how much a quantity changed (a field that increments or decrements one). */
    private static boolean carriesChange(RecordTransformer transformer, CanonicalRecord record) {
        java.util.Map<String, io.syncline.model.CanonicalField> fields = transformer.entity(record.entity()).fields();
        return record.fields().entrySet().stream().anyMatch(field -> field.getValue() != null && fields.get(field.getKey()) != null
                && fields.get(field.getKey()).isChange());
    }

    /**
     * Claims the event's key; false when it was claimed before: a duplicate. In a batch the key
     * goes with the batch's writes, all its events' keys in one round trip, and is taken as new
     * here: a duplicate fails the batch when they are sent, and is found one when its event is
     * applied again on its own (duplicates are rare in a backlog; a round trip per event is not).
     */
    private boolean claimKey(SyncUnit unit, String target, String eventKey) throws SQLException {
        CanonicalRecord record = unit.record();
        if (unit.batch() != null) {
            processedKeys.claimWith(unit.writes(), target, record.sourceSystem(), eventKey, unit.inboxId());
            return true;
        }
        return processedKeys.claim(unit.connection(), target, record.sourceSystem(), eventKey, unit.inboxId());
    }

    /**
     * Locks the record's state rows for the source and the target (in name order: no deadlocks
     * between them); in a batch, the record's first unit finds them locked and read for the batch.
     */
    private StatePair lockStates(SyncUnit unit, CanonicalRecord record, String target) throws SQLException {
        Map<String, RecordState> locked = readAhead.states(unit);
        if (locked == null) {
            locked = states.lockBoth(unit.connection(), record.entity(), record.canonicalId(), record.sourceSystem(), target);
        }
        // Absent rows lock nothing; a concurrent first insert fails on the primary key and the event is retried.
        return new StatePair(Optional.ofNullable(locked.get(record.sourceSystem())), Optional.ofNullable(locked.get(target)));
    }

    /**
     * Commits the record state, the audit entry, the key and, for an inbox event, its status
     * {@code done}, in one transaction: the route's last target. In a route that applies one
     * event to several targets, end each target but the last with {@link #commitTarget}.
     */
    public void commit(Exchange exchange) throws SQLException {
        commit(exchange, true);
    }

    /**
     * As {@link #commit}, leaving the inbox event open: more targets of the same event follow,
     * and a crash before they commit must leave the event to be claimed again.
     */
    public void commitTarget(Exchange exchange) throws SQLException {
        commit(exchange, false);
    }

    private void commit(Exchange exchange, boolean lastTarget) throws SQLException {
        ApplyEvents.forEachAdmitted(exchange, event -> commitEvent(event, lastTarget));
    }

    private void commitEvent(Exchange exchange, boolean lastTarget) throws SQLException {
        SyncUnit unit = SyncUnit.of(exchange);
        if (unit.action() == null) {
            throw new NothingWrittenException(unit.entity(), unit.record().sourceId(), unit.target());
        }
        if (DryRunWrite.active(exchange)) {
            requireEvaluatedModel(exchange);
            exchange.setProperty(ExchangeContract.DRY_RUN_OUTCOME,
                    new DryRunOutcome(unit.action(), unit.targetId(), unit.matchRule(),
                            FieldDiff.sealed(sensitive, unit.entity(), unit.diff()), null, unit.conflicts(),
                            sensitive.seal(unit.entity(), unit.values())));
            unit.rollback();
            return;
        }
        CompletedWrite.recognise(unit, sensitive);
        RecordTransformer transformer = registry.current().transformer();
        SyncStates.Changes changes = SyncStates.after(unit, transformer, sensitive, Instant.now());
        Writes writes = unit.writes();
        if (changes.source() != null) {
            states.save(writes, changes.target(), changes.source());
        } else {
            states.save(writes, changes.target());
        }
        quantityPushes.afterMaster(unit, transformer.entity(unit.entity()), transformer, changes.target());
        CanonicalRecord record = unit.record();
        audit.record(writes, new AuditEntry(unit.action(), record.entity(), record.canonicalId(), record.sourceSystem(),
                record.sourceId(), unit.target(), unit.targetId(), unit.runId(), unit.inboxId(), unit.eventKey(),
                record.versionHash(), unit.diff(), SyncStates.describe(unit),
                exchange.getProperty(ExchangeContract.ACTOR, String.class), FieldDecisions.of(unit, exchange)));
        commit(exchange, unit, lastTarget);
        String route = exchange.getProperty(ExchangeContract.SOURCE_ROUTE, String.class);
        unit.afterCommit(() -> metrics.applied(route, unit.sourceTimestamp()));
        unit.committedActions().forEach(unit::afterCommit);
    }

    /**
     * A plan's dry run decided by the model it evaluates: its stages read the model on the plan's
     * thread, so a stage that ran on another would have decided by the model in force, unseen.
     */
    private void requireEvaluatedModel(Exchange exchange) {
        Object evaluated = exchange.getProperty(ExchangeContract.EVALUATED_MODEL);
        if (evaluated != null && evaluated != registry.current()) {
            throw new IllegalStateException("the dry run of " + exchange.getProperty(ExchangeContract.EVENT_ID)
                    + " reached its commit on a thread that does not evaluate its plan's model");
        }
    }

    private void skip(Exchange exchange, SyncUnit unit, AuditEntry.Action action, SyncMetrics.Outcome outcome, String reason)
            throws SQLException {
        if (DryRunWrite.active(exchange)) {
            requireEvaluatedModel(exchange);
            exchange.setProperty(ExchangeContract.DRY_RUN_OUTCOME, DryRunOutcome.skipped(action, reason));
            exchange.setProperty(ExchangeContract.VERDICT, action.code());
            unit.rollback();
            return;
        }
        if (exchange.getProperty(ExchangeContract.UNIT_CLAIM) != null) {
            throw new SyncNotAppliedException(unit.entity() + " " + unit.record().sourceId() + " from "
                    + unit.record().sourceSystem() + " is " + action.code() + " for " + unit.target() + ": " + reason);
        }
        audit.record(unit.writes(), AuditEntry.of(action, unit.record(), unit.target(), unit.runId(), unit.inboxId(),
                unit.eventKey(), reason));
        // A skip does not know whether more targets follow: the dispatcher marks the event done.
        commit(exchange, unit, false);
        exchange.setProperty(ExchangeContract.VERDICT, action.code());
        String route = exchange.getProperty(ExchangeContract.SOURCE_ROUTE, String.class);
        unit.afterCommit(() -> metrics.event(route, outcome));
    }

    /** Commits the unit; the route's last target marks its inbox event done in the same transaction. */
    private void commit(Exchange exchange, SyncUnit unit, boolean lastTarget) throws SQLException {
        boolean completes = lastTarget && unit.inboxId() != null;
        if (completes) {
            inbox.complete(unit.writes(), unit.inboxId());
        }
        unit.commit();
        exchange.setProperty(ExchangeContract.INBOX_COMPLETED, completes);
    }

    private static Instant modifiedAt(RecordTransformer transformer, CanonicalRecord record) {
        String field = transformer.entity(record.entity()).modifiedAt();
        Object value = field == null ? null : record.fields().get(field);
        if (value == null) {
            return null;
        }
        Instant at = CanonicalValues.instant(value);
        if (at == null) {
            throw new RecordRejectedException(record.entity(), record.sourceSystem(), List.of("modifiedAt field " + field
                    + " is '" + value + "', not an ISO-8601 timestamp with offset; give its mapping transforms: [timestamp]"));
        }
        return at;
    }

    /** Throws a checked exception where a signature cannot declare it, as it is. */
    @SuppressWarnings("unchecked")
    static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    record StatePair(Optional<RecordState> source, Optional<RecordState> target) {
    }
}
