package io.syncline.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.Watermark;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.CanonicalValues;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.ChangeFilter;
import io.syncline.store.Transactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

/**
 * One poll's pages of changes, stored as they arrive: each page's new changes go into the inbox in
 * the transaction that moves the watermark past them, so a crash loses no change and stores none
 * twice (an event's id is the record's key and modification time: a change read again is a duplicate).
 *
 * <p>A source that filters by time alone ({@code updated_since >= t}: most APIs, which have no
 * tie-breaking key) answers the records of the watermark's own instant again on every poll. The
 * watermark therefore keeps, beside its time, the keys read at that instant
 * ({@link WatermarkRepository#save(Connection, String, Watermark, java.util.Collection, boolean)}),
 * and such a record is dropped when its key is among them: records sharing the instant, even more
 * than a page of them, are neither skipped nor put into the inbox again, and a record that
 * changes again later has a later time. Keys rather than an overlap window because the inbox
 * forgets applied events after its retention, and a watermark may stand still longer than that;
 * the keys kept are those of one instant, and go when the watermark moves on.
 *
 * <p>The watermark after a page is only right if no later page holds an older change: a record
 * older than the one before it stops the poll ({@link ChangesOutOfOrderException}). A source that
 * does not answer oldest first ({@code changes.sorted: false}) has each page's changes stored as
 * they arrive and the watermark moved once, to the newest change read, after the last page
 * ({@link #finish}); a poll that stops before its end moves nothing, and the next one reads those
 * pages again (their changes are duplicates to the inbox).
 *
 * <p>A source that hands out its own position after each page (a sync cursor,
 * {@link io.syncline.connector.spi.RecordPuller#changesByPosition}) has each page's changes stored as
 * they come, with that position as the watermark's key in the same transaction
 * ({@link #store(List, String)}): the next poll goes on from it, and a crash between pages reads
 * again only the page that was not stored.
 */
final class ChangePages {

    /**
     * What the changes are of, and where they go; {@code eventIdPath}, where the poll names one, is
     * the path of each change's own id, its event id in the inbox.
     */
    record Poll(String entity, String system, String applyEndpoint, String route, String job, String keyPath,
            String changedAtPath, ChangeFilter filter, String eventIdPath) {
    }

    /** A record read, with its key and modification time. */
    private record Change(String key, Instant at, Map<String, Object> record) {
    }

    private final Poll poll;
    private final DataSource store;
    private final InboxEnqueuer inbox;
    private final WatermarkRepository watermarks;
    private final ObjectMapper json;
    /** Whether the source answers the watermark's instant again, so that the keys read there are kept. */
    private final boolean inclusive;
    /** The watermark's instant when the poll began; null on a first poll. */
    private final Instant start;
    private Watermark current;
    private Change previous;
    /** For a source that does not sort: the newest change read so far, and the keys read at its instant. */
    private Change newest;
    private final List<String> keysAtNewest = new ArrayList<>();
    private int stored;
    private int unplaced;

    ChangePages(Poll poll, Watermark after, boolean inclusive, DataSource store, InboxEnqueuer inbox,
            WatermarkRepository watermarks, ObjectMapper json) {
        this.poll = poll;
        this.current = after;
        this.start = after == null ? null : after.at();
        this.inclusive = inclusive;
        this.store = store;
        this.inbox = inbox;
        this.watermarks = watermarks;
        this.json = json;
    }

    /** How many changes were new to the inbox. */
    int stored() {
        return stored;
    }

    /** How many records had no key or no modification time, and so no place in the order of changes. */
    int unplaced() {
        return unplaced;
    }

    void store(List<Map<String, Object>> rows) throws Exception {
        List<Change> changes = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Change change = placed(row);
            if (change == null) {
                continue;
            }
            Instant at = change.at();
            if (!oldestFirst()) {
                note(change);
            } else if (previous != null && at.isBefore(previous.at())) {
                throw new ChangesOutOfOrderException(poll.system() + ": " + poll.entity() + " " + change.key() + " changed at "
                        + at + " came after " + previous.key() + " changed at " + previous.at() + "; a poll reads changes"
                        + " oldest first: have the API sort them by modification time (polls." + poll.system() + ".changes.query)");
            }
            previous = change;
            if (!inclusive || start == null || !at.isBefore(start)) {
                changes.add(change);
            }
        }
        if (!changes.isEmpty()) {
            commit(changes);
        }
    }

    /**
     * A page of a source that hands out its position after it: the page's changes into the inbox and
     * the watermark moved to {@code position} (its time the last change's), in one transaction; an
     * empty page whose position moved moves the watermark alone.
     */
    void store(List<Map<String, Object>> rows, String position) throws Exception {
        List<Change> changes = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Change change = placed(row);
            if (change != null) {
                changes.add(change);
            }
        }
        if (changes.isEmpty() && (position == null || current != null && position.equals(current.key()))) {
            return;
        }
        Watermark reached = new Watermark(changes.isEmpty() ? (current == null ? Instant.now() : current.at())
                : changes.get(changes.size() - 1).at(), position == null ? current.key() : position);
        List<InboxEnqueuer.NewEvent> events = new ArrayList<>(changes.size());
        for (Change change : changes) {
            events.add(event(change));
        }
        int fresh = Transactions.inTransaction(store, connection -> {
            int enqueued = inbox.enqueueAll(connection, events);
            watermarks.save(connection, poll.job(), reached);
            return enqueued;
        });
        current = reached;
        stored += fresh;
        inbox.arrived(fresh);
    }

    private boolean oldestFirst() {
        return poll.filter() == null || poll.filter().oldestFirst();
    }

    private void note(Change change) {
        if (newest == null || change.at().isAfter(newest.at())) {
            newest = change;
            keysAtNewest.clear();
        }
        if (change.at().equals(newest.at())) {
            keysAtNewest.add(change.key());
        }
    }

    /**
     * After the last page, for a source that does not answer oldest first: the watermark moves to the
     * newest change read, in a transaction of its own (every change before it is in the inbox by then).
     */
    void finish() throws SQLException {
        if (oldestFirst() || newest == null || current != null && newest.at().isBefore(current.at())) {
            return;
        }
        Watermark reached = new Watermark(newest.at(), newest.key());
        boolean moved = current == null || !reached.at().equals(current.at());
        Transactions.inTransaction(store, connection -> {
            save(connection, reached, keysAtNewest, moved);
            return null;
        });
        current = reached;
    }

    private void save(Connection connection, Watermark reached, List<String> keys, boolean moved) throws SQLException {
        if (inclusive) {
            watermarks.save(connection, poll.job(), reached, keys, moved);
        } else {
            watermarks.save(connection, poll.job(), reached);
        }
    }

    private void commit(List<Change> changes) throws Exception {
        Change last = changes.get(changes.size() - 1);
        Watermark reached = new Watermark(last.at(), last.key());
        boolean moved = current == null || !reached.at().equals(current.at());
        // a source that does not sort moves its watermark in finish(), once every page is read
        boolean movesWatermark = oldestFirst();
        Integer fresh = Transactions.inTransaction(store, connection -> {
            Set<String> readBefore = inclusive && start != null
                    ? watermarks.readAtWatermark(connection, poll.job(), keysAt(changes, start)) : Set.of();
            List<InboxEnqueuer.NewEvent> events = new ArrayList<>(changes.size());
            for (Change change : changes) {
                if (!(change.at().equals(start) && readBefore.contains(change.key()))) {
                    events.add(event(change));
                }
            }
            if (events.isEmpty() && (!moved || !movesWatermark)) {
                return null; // only records read before, at the watermark's instant: nothing moves
            }
            int enqueued = inbox.enqueueAll(connection, events);
            if (movesWatermark) {
                save(connection, reached, keysAt(changes, reached.at()), moved);
            }
            return enqueued;
        });
        if (fresh == null) {
            return;
        }
        if (movesWatermark) {
            current = reached;
        }
        stored += fresh;
        inbox.arrived(fresh);
    }

    /** The row as a change, with its key and modification time; null (counted unplaced) where it lacks either. */
    private Change placed(Map<String, Object> row) {
        Map<String, Object> record = portable(row);
        Object key = value(record, poll.keyPath());
        Instant at = time(value(record, poll.changedAtPath()));
        if (key == null || at == null) {
            unplaced++;
            return null;
        }
        return new Change(String.valueOf(key), at, record);
    }

    /** The inbox event of a change: its id the record's key and modification time, so that a change read again is a duplicate. */
    private InboxEnqueuer.NewEvent event(Change change) throws java.io.IOException {
        return new InboxEnqueuer.NewEvent(poll.route(), poll.applyEndpoint(), poll.entity(), poll.system(), change.key(),
                eventId(change), json.writeValueAsString(change.record()));
    }

    private static List<String> keysAt(List<Change> changes, Instant at) {
        return changes.stream().filter(change -> change.at().equals(at)).map(Change::key).toList();
    }

    /** A record's modification time: ISO-8601 text, or a number in the unit of the API's filter (epoch milliseconds without one). */
    private Instant time(Object value) {
        if (value instanceof Number epoch) {
            return (poll.filter() == null ? ChangeFilter.TimeFormat.EPOCH_MILLIS : poll.filter().format()).read(epoch);
        }
        return value == null ? null : CanonicalValues.instant(value);
    }

    /** The change's id in the inbox: its own, where the poll names its path, else its key at its time. */
    private String eventId(Change change) {
        Object own = poll.eventIdPath() == null ? null : value(change.record(), poll.eventIdPath());
        return own != null ? "poll:" + own : "poll:" + change.key() + "@" + change.at();
    }

    /** A record's value at a column or path, as read (JDBC labels are lower case). */
    static Object value(Map<String, Object> record, String path) {
        Object value = FieldPaths.get(record, path);
        return value != null ? value : FieldPaths.get(record, path.toLowerCase(Locale.ROOT));
    }

    /** The record with its times as ISO-8601 text, as a webhook would carry them (a database hands out its own classes). */
    private static Map<String, Object> portable(Map<String, Object> row) {
        Map<String, Object> record = new LinkedHashMap<>();
        row.forEach((name, value) -> record.put(name, CanonicalInstants.canonical(value)));
        return record;
    }
}
