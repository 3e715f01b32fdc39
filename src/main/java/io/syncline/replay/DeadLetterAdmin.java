package io.syncline.replay;

import io.agroal.api.AgroalDataSource;
import io.syncline.deadletter.DeadLetter;
import io.syncline.deadletter.DeadLetterConflictException;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.inbox.Inbox;
import io.syncline.store.Sql;
import io.syncline.store.Transactions;
import io.syncline.tombstone.ReducedValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What ops do with dead letters: list, show, replay, discard. A replay puts the original
 * payload back into the durable inbox for the same apply route, in the same transaction that
 * marks the dead letter replayed: replaying it again finds that inbox event and changes nothing.
 * Who replayed or discarded it (and why it was discarded) is kept on the row.
 */
@ApplicationScoped
public class DeadLetterAdmin {

    public record ReplayResult(long deadLetterId, long inboxId, boolean alreadyReplayed) {
    }

    private static final String COLUMNS = "id, route_id, entity, source_system, reason, exception_type, attempts, status,"
            + " inbox_id, replayed_inbox_id, first_failed_at, payload, handled_by, handled_at, discard_reason";
    private static final String FILTER = " FROM dead_letter WHERE (? IS NULL OR status = ?) AND (? IS NULL OR route_id = ?)";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeadLetterRepository deadLetters;
    @Inject
    Inbox inbox;

    /** Newest first; {@code status} and {@code routeId} filter when given. */
    public List<DeadLetter> list(String status, String routeId, int limit) throws SQLException {
        return list(status, routeId, limit, 0);
    }

    /** A page of {@link #list(String, String, int)}: {@code limit} letters after the first {@code offset}. */
    public List<DeadLetter> list(String status, String routeId, int limit, int offset) throws SQLException {
        String sql = "SELECT " + COLUMNS + FILTER + " ORDER BY id DESC LIMIT ? OFFSET ?";
        return Sql.list(dataSource, sql, select -> {
            bindFilter(select, status, routeId);
            select.setInt(5, limit);
            select.setInt(6, offset);
        }, rows -> read(rows));
    }

    /** How many letters {@link #list(String, String, int)} would find without a limit. */
    public long count(String status, String routeId) throws SQLException {
        return Sql.count(dataSource, "SELECT count(*)" + FILTER, select -> {
            bindFilter(select, status, routeId);
        });
    }

    private static void bindFilter(PreparedStatement select, String status, String routeId) throws SQLException {
        select.setString(1, status);
        select.setString(2, status);
        select.setString(3, routeId);
        select.setString(4, routeId);
    }

    public Optional<DeadLetter> find(long id) throws SQLException {
        return Sql.optional(dataSource, "SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", select -> select.setLong(1, id), rows -> read(rows));
    }

    /**
     * @param by the user who asked for it
     * @return empty when there is no such dead letter
     */
    public Optional<ReplayResult> replay(long id, String by) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> replay(connection, id, by));
    }

    private Optional<ReplayResult> replay(Connection connection, long id, String by) throws SQLException {
        DeadLetter letter;
        try (PreparedStatement lock = connection.prepareStatement("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, id);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                letter = read(rows);
            }
        }
        if ("replayed".equals(letter.status())) {
            return Optional.of(new ReplayResult(id, letter.replayedInboxId(), true));
        }
        if ("discarded".equals(letter.status())) {
            throw new DeadLetterConflictException("Dead letter " + id + " was discarded and cannot be replayed");
        }
        if (letter.inboxId() == null) {
            throw new DeadLetterConflictException("Dead letter " + id + " did not come through the inbox and cannot be replayed");
        }
        if (ReducedValues.isReduced(letter.payload())) {
            throw new DeadLetterConflictException("Dead letter " + id + " is past its retention: its payload was reduced to"
                    + " field names and digests (syncline.privacy.retention) and cannot be replayed");
        }
        long inboxId = inbox.requeue(connection, letter.inboxId(), "replay-" + id);
        deadLetters.replayed(connection, id, inboxId, by);
        return Optional.of(new ReplayResult(id, inboxId, false));
    }

    /**
     * @param by     the user who discards it
     * @param reason why, kept with it (may be null)
     * @return false when there is no such dead letter
     */
    public boolean discard(long id, String by, String reason) throws SQLException {
        if (deadLetters.discard(id, by, reason)) {
            return true;
        }
        DeadLetter letter = find(id).orElse(null);
        if (letter == null) {
            return false;
        }
        if ("discarded".equals(letter.status())) {
            return true; // discarded before: who and why stay as they were
        }
        throw new DeadLetterConflictException("Dead letter " + id + " was already replayed (inbox event "
                + letter.replayedInboxId() + ") and cannot be discarded");
    }

    private static DeadLetter read(ResultSet rows) throws SQLException {
        return new DeadLetter(rows.getLong("id"), rows.getString("route_id"), rows.getString("entity"),
                rows.getString("source_system"), rows.getString("reason"), rows.getString("exception_type"),
                rows.getInt("attempts"), rows.getString("status"), (Long) rows.getObject("inbox_id", Long.class),
                (Long) rows.getObject("replayed_inbox_id", Long.class),
                rows.getObject("first_failed_at", OffsetDateTime.class), rows.getString("payload"),
                rows.getString("handled_by"), rows.getObject("handled_at", OffsetDateTime.class), rows.getString("discard_reason"));
    }
}
