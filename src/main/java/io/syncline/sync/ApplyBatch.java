package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.store.DeferredWrites;
import io.syncline.store.StoreOutage;
import io.syncline.store.Writes;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Several inbox events applied in one state-store transaction, one after another on one worker:
 * each event's sync unit borrows the batch's connection instead of opening and committing its
 * own, and the batch commits them all at once (one commit, one WAL flush, for all of them).
 *
 * <p>All or nothing: when any event of the batch fails, the batch is rolled back and every event
 * is applied again on its own, with the usual retries, review queue and dead letters. So an event
 * in a batch may only change what that rollback undoes: a write outside the state store's
 * transaction that no rollback reaches (an HTTP API) calls {@link SyncUnit#outsideTransaction(String)}
 * first, which refuses it here. Another database (a JDBC target's) is written in a transaction of
 * the batch's own there ({@link #otherConnection}), committed just before the state store's, once
 * every state-store row of the batch has been sent: as for an event alone, a failure between the
 * two commits leaves rows whose upserts the events, applied again, repeat to no further effect.
 *
 * <p>The batch knows its events' source records, so that what each event's stages would ask the
 * state store for one by one can be asked once for them all ({@link BatchReadAhead}).
 *
 * <p>A batch may also live inside a transaction its caller owns ({@link #within}: a backfill's
 * page, committed with the page's checkpoint): it then rolls back to where it began, and leaves
 * the commit to the caller, who tells it how that went ({@link #ended}).
 *
 * <p>It travels with the exchanges of its events as property {@value ExchangeContract#APPLY_BATCH}.
 */
public final class ApplyBatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApplyBatch.class);

    /** A source record of one of the batch's events, as the inbox has it (its id may be null). */
    public record Source(String entity, String system, String id) {
    }

    private record RecordKey(String entity, String canonicalId) {
    }

    /** Opens a connection to another database for the batch. */
    @FunctionalInterface
    public interface ConnectionSource {

        Connection open() throws SQLException;
    }

    private final Connection connection;
    /** Where the batch began in its caller's transaction; null when the transaction is the batch's own. */
    private final Savepoint savepoint;
    private final DeferredWrites writes;
    private final List<Source> sources;
    private final BooleanSupplier stopping;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Consumer<Boolean>> whenEnded = new ArrayList<>();
    /** Canonical ids made for records new to the ID map in this batch's transaction, by source record. */
    private final Map<Source, String> identities = new HashMap<>();
    private final Set<RecordKey> begun = new HashSet<>();
    private final Map<Object, Object> readAhead = new HashMap<>();
    private final Map<String, int[]> reads = new LinkedHashMap<>();
    private final Map<String, Connection> others = new LinkedHashMap<>();
    private Exception abortCause;
    private boolean open = true;
    private boolean committed;

    /** Takes over the connection: it is the batch's until {@link #commit()} or {@link #close()}. */
    public ApplyBatch(Connection connection, List<Source> sources) throws SQLException {
        this(connection, sources, () -> false);
    }

    /** As {@link #ApplyBatch(Connection, List)}, told by {@code stopping} when the application stops. */
    public ApplyBatch(Connection connection, List<Source> sources, BooleanSupplier stopping) throws SQLException {
        this(connection, sources, stopping, false);
    }

    private ApplyBatch(Connection connection, List<Source> sources, BooleanSupplier stopping, boolean within)
            throws SQLException {
        this.connection = connection;
        this.stopping = stopping;
        this.sources = List.copyOf(sources);
        connection.setAutoCommit(false);
        this.savepoint = within ? connection.setSavepoint() : null;
        this.writes = new DeferredWrites(connection);
    }

    /**
     * A batch inside the caller's open transaction on {@code connection}: an abort rolls back to
     * where the batch began, {@link #commit()} sends the batch's rows and commits the other
     * databases' transactions but not the caller's, and the connection stays the caller's, who
     * commits it (with rows of its own) and then calls {@link #ended}.
     */
    public static ApplyBatch within(Connection connection, List<Source> sources, BooleanSupplier stopping)
            throws SQLException {
        return new ApplyBatch(connection, sources, stopping, true);
    }

    /** The batch an exchange's event is applied in, or null when it is applied on its own. */
    public static ApplyBatch of(Exchange exchange) {
        return exchange.getProperty(ExchangeContract.APPLY_BATCH, ApplyBatch.class);
    }

    /**
     * The batch's transaction, for the next event's sync unit.
     *
     * @throws ApplyBatchAbortedException an earlier event of the batch failed: this one is applied
     *                                    again on its own once the batch is rolled back
     */
    public Connection connection() {
        if (abortCause != null || !open) {
            throw new ApplyBatchAbortedException(abortCause);
        }
        return connection;
    }

    /**
     * Where the events' record states, audit entries and inbox completions go: nothing in the
     * batch reads them back, so they are sent together, one round trip per statement, before the commit.
     */
    public Writes writes() {
        connection();
        return writes;
    }

    /**
     * The batch's transaction on another database, {@code name} (a JDBC target's datasource),
     * begun at the first asking, at read committed as each statement of an event alone sees it.
     * It commits just before the state store's transaction and rolls back with it.
     */
    public Connection otherConnection(String name, ConnectionSource source) throws SQLException {
        connection();
        Connection other = others.get(name);
        if (other == null) {
            other = source.open();
            try {
                other.setAutoCommit(false);
                other.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException e) {
                other.close();
                throw e;
            }
            others.put(name, other);
        }
        return other;
    }

    /**
     * A sync unit of a record begins in the batch; true when it is the record's first. A claim
     * never holds two events of one source record, but one event may be applied to several
     * targets, and events of two systems may be of one canonical record: a later unit of the
     * record reads the record states an earlier one saved, so what the batch held back is sent
     * first, and the unit reads for itself instead of taking what was read ahead for the batch.
     */
    boolean beginUnit(String entity, String canonicalId) throws SQLException {
        connection();
        if (begun.add(new RecordKey(entity, canonicalId))) {
            return true;
        }
        writes.flush();
        return false;
    }

    /** Whether the application is stopping: the batch's stages then end it ({@link ApplyEvents}). */
    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /** The source records of the batch's events. */
    public List<Source> sources() {
        return sources;
    }

    /** What was read for the whole batch under {@code key}, read by {@code loader} the first time it is asked for. */
    <T> T readAhead(Object key, ReadAheadLoader<T> loader) throws SQLException {
        connection();
        @SuppressWarnings("unchecked")
        T read = (T) readAhead.get(key);
        if (read == null) {
            read = loader.load();
            readAhead.put(key, read);
        }
        return read;
    }

    /** Loads what a batch reads ahead. */
    @FunctionalInterface
    public interface ReadAheadLoader<T> {

        T load() throws SQLException;
    }

    /** Counts how a unit found what it read ({@code what}): read ahead for the batch, or by a query of its own. */
    void countRead(String what, boolean readAhead) {
        reads.computeIfAbsent(what, key -> new int[2])[readAhead ? 0 : 1]++;
    }

    /** What the units read, by what they read: how many took it from the batch's read-ahead ([0]) and how many queried ([1]). */
    public Map<String, int[]> reads() {
        return reads;
    }

    /**
     * A record new to the ID map got a fresh canonical id, linked with the batch's writes: the
     * batch's later events of the same source record take it from here, and since no other
     * connection can see that id before the batch commits, nothing can be stored under it yet
     * but what this batch stores.
     */
    void identified(Source source, String canonicalId) {
        identities.put(source, canonicalId);
    }

    /** The canonical id this batch made for a source record, or null. */
    String identity(Source source) {
        return identities.get(source);
    }

    /** Whether the canonical id was made in this batch ({@link #identified}): fresh UUIDs, never another record's. */
    boolean madeIdentity(String canonicalId) {
        return identities.containsValue(canonicalId);
    }

    /** Runs when the batch's transaction ends, told whether it committed. */
    void whenEnded(Consumer<Boolean> action) {
        whenEnded.add(action);
    }

    /** Runs once the batch committed (metrics of what it applied), or at once after the unit's own commit. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** Rolls the batch back: an event failed, and all are applied again one at a time. Only the first cause is kept. */
    public void abort(Exception cause) {
        if (abortCause == null) {
            abortCause = cause != null ? cause : new IllegalStateException("an event of the batch failed");
            rollback();
        }
    }

    public boolean aborted() {
        return abortCause != null;
    }

    /** Why the batch was aborted: the first failing event's cause. */
    public Exception abortCause() {
        return abortCause;
    }

    /**
     * Commits every event of the batch, then runs what waited for it. The state store's held-back
     * rows are sent first (a duplicate key fails the batch before anything commits anywhere), then
     * each other database's transaction commits, then the state store's.
     */
    public void commit() throws SQLException {
        if (abortCause != null) {
            throw new ApplyBatchAbortedException(abortCause);
        }
        writes.flush();
        for (Connection other : others.values()) {
            other.commit();
        }
        if (savepoint != null) {
            return; // the caller commits its transaction, then says so (ended)
        }
        connection.commit();
        ended(true);
    }

    /**
     * The transaction the batch's rows were sent in ended, committed or not: runs what waited for
     * that. Called by {@link #commit()} for a batch of its own; by the caller for one {@link #within}
     * its transaction, once that committed or rolled back.
     */
    public void ended(boolean committed) {
        if (!open) {
            return;
        }
        this.committed = committed;
        release();
        if (committed) {
            afterCommit.forEach(Runnable::run);
        }
    }

    private void rollback() {
        if (!open) {
            return;
        }
        for (Connection other : others.values()) {
            try {
                other.rollback();
            } catch (SQLException e) {
                LOG.debugf("Rolling back a batch's transaction on another database failed: %s", e.getMessage());
            }
        }
        try {
            if (savepoint != null) {
                connection.rollback(savepoint);
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            // A connection the store lost rolls back by itself; the store's probe reports the outage once.
            LOG.logf(StoreOutage.isOutage(e) ? Logger.Level.DEBUG : Logger.Level.WARN,
                    "Rolling back a batch of inbox events failed: %s", e.getMessage());
        }
        release();
    }

    /** Gives the connection back to the pool; a transaction still open is rolled back. */
    @Override
    public void close() {
        rollback();
    }

    private void release() {
        if (!open) {
            return;
        }
        open = false;
        whenEnded.forEach(action -> action.accept(committed));
        writes.close();
        for (Connection other : others.values()) {
            try {
                other.setAutoCommit(true);
                other.close();
            } catch (SQLException e) {
                LOG.debugf("Closing a batch's connection to another database failed: %s", e.getMessage());
            }
        }
        if (savepoint != null) {
            return; // the caller's connection
        }
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("Closing a batch's connection failed: %s", e.getMessage());
        }
    }
}
