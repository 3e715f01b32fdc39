package io.syncline.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.store.Sql;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * The store of table {@code alert_notification}: what the replicas together last told of each
 * store-wide condition (an alert and its labels), so that the deployment tells it once however many
 * replicas evaluate it. The rules are {@link AlertStates}' (a message when a condition starts and
 * one when it clears, at most one per condition within {@code minInterval}), kept in one row per
 * condition that each replica reads at each evaluation:
 * <ul>
 * <li>A replica that finds firing a condition the row says is not tells it only once its
 *     {@code UPDATE} has moved the row's {@code revision} on from the one it read (compare-and-set):
 *     of replicas evaluating at the same moment one wins, and the others then find the row firing.</li>
 * <li>A replica that finds firing a condition the row says is firing stamps it as seen by itself now.</li>
 * <li>A condition clears when the replicas no longer see it: a replica that finds it cleared tells so
 *     when it was the last to see it firing, or when none has seen it firing for {@code seenFor}. So
 *     a replica that evaluates a little behind (its readings of the store are a few seconds older)
 *     does not see a resolved message followed by a firing one, and one that stopped with the
 *     condition firing does not hold it for ever.</li>
 * </ul>
 * A message no channel took is given back ({@link #release}): the row returns to what it was, and
 * the next evaluation of any replica tells it again; one whose replica stopped between winning it
 * and telling it is lost. Every statement is one row's, committed on its own, so no lock is held
 * while a channel is told; each waits for the store as long as its data source's connections do.
 */
final class SharedAlertStates {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {
    };
    private static final String COLUMNS = "alert, labels, firing, summary, told_at, seen_at, seen_by, revision";

    private final DataSource store;
    private final ObjectMapper json;
    private final String replica;
    private final Duration minInterval;
    private final Duration seenFor;

    /**
     * @param replica     this replica's name, unique among those sharing the store
     * @param minInterval at most one message per condition within this time
     * @param seenFor     how long a sighting of a condition by another replica holds it firing
     */
    SharedAlertStates(DataSource store, ObjectMapper json, String replica, Duration minInterval, Duration seenFor) {
        this.store = store;
        this.json = json;
        this.replica = replica;
        this.minInterval = minInterval;
        this.seenFor = seenFor;
    }

    /** A change this replica won and must tell; {@code previous} is what the row said before, for {@link #release}. */
    record Claim(AlertMessage message, Row previous) {
    }

    /** A condition's row; {@code toldAt} is when it was last told, and since when it is in its state. */
    record Row(String alert, String labels, boolean firing, String summary, Instant toldAt, Instant seenAt, String seenBy,
            long revision) {
    }

    String replica() {
        return replica;
    }

    /**
     * @param firing       every store-wide condition this replica finds firing now
     * @param undetermined the alerts of those it cannot tell now, firing or not: their rows stay as they are
     * @return the messages this replica won the telling of, firing or resolved: send each, and
     *         {@link #release} the ones no channel took
     */
    List<Claim> claim(List<AlertMessage> firing, Set<String> undetermined, Instant now) throws SQLException {
        Map<String, AlertMessage> current = new LinkedHashMap<>();
        firing.forEach(message -> current.put(message.alert() + ' ' + labels(message), message));
        List<Claim> claims = new ArrayList<>();
        try (Connection connection = store.getConnection()) {
            Map<String, Row> rows = read(connection);
            for (Map.Entry<String, AlertMessage> condition : current.entrySet()) {
                AlertMessage message = condition.getValue();
                Row row = rows.get(condition.getKey());
                if (row == null) {
                    row = create(connection, message.alert(), labels(message));
                }
                if (row.firing()) {
                    update(connection, "UPDATE alert_notification SET seen_at = ?, seen_by = ? WHERE alert = ? AND labels = ?"
                            + " AND firing = TRUE", Timestamp.from(now), replica, row.alert(), row.labels());
                } else if (allowed(row, now) && update(connection, "UPDATE alert_notification SET firing = TRUE, summary = ?,"
                        + " told_at = ?, seen_at = ?, seen_by = ?, revision = revision + 1 WHERE alert = ? AND labels = ?"
                        + " AND revision = ?", message.summary(), Timestamp.from(now), Timestamp.from(now), replica, row.alert(),
                        row.labels(), row.revision()) == 1) {
                    claims.add(new Claim(message, row));
                }
            }
            for (Map.Entry<String, Row> condition : rows.entrySet()) {
                Row row = condition.getValue();
                boolean cleared = row.firing() && !current.containsKey(condition.getKey()) && !undetermined.contains(row.alert());
                if (cleared && allowed(row, now) && unseen(row, now) && update(connection, "UPDATE alert_notification"
                        + " SET firing = FALSE, told_at = ?, revision = revision + 1 WHERE alert = ? AND labels = ? AND revision = ?",
                        Timestamp.from(now), row.alert(), row.labels(), row.revision()) == 1) {
                    claims.add(new Claim(new AlertMessage(row.alert(), parse(row.labels()), false, row.summary()), row));
                }
            }
        }
        return claims;
    }

    /** Gives back a change no channel took: the row says again what it said before, unless it has moved on since. */
    void release(Claim claim) throws SQLException {
        Row previous = claim.previous();
        try (Connection connection = store.getConnection()) {
            update(connection, "UPDATE alert_notification SET firing = ?, summary = ?, told_at = ?, revision = revision + 1"
                    + " WHERE alert = ? AND labels = ? AND revision = ?", previous.firing(), previous.summary(),
                    previous.toldAt() == null ? null : Timestamp.from(previous.toldAt()), previous.alert(), previous.labels(),
                    previous.revision() + 1);
        }
    }

    private boolean allowed(Row row, Instant now) {
        return row.toldAt() == null || !now.isBefore(row.toldAt().plus(minInterval));
    }

    /** Whether no other replica may still see the condition firing: this one saw it last, or none has lately. */
    private boolean unseen(Row row, Instant now) {
        return replica.equals(row.seenBy()) || row.seenAt() == null || !row.seenAt().isAfter(now.minus(seenFor));
    }

    private Map<String, Row> read(Connection connection) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM alert_notification");
                ResultSet result = select.executeQuery()) {
            while (result.next()) {
                Row row = new Row(result.getString(1), result.getString(2), result.getBoolean(3), result.getString(4),
                        instant(result.getTimestamp(5)), instant(result.getTimestamp(6)), result.getString(7), result.getLong(8));
                rows.put(row.alert() + ' ' + row.labels(), row);
            }
        }
        return rows;
    }

    /** The row of a condition not told before, made by this replica or another at the same moment. */
    private static Row create(Connection connection, String alert, String labels) throws SQLException {
        try {
            update(connection, "INSERT INTO alert_notification (alert, labels, firing, revision) SELECT ?, ?, FALSE, 0"
                    + " WHERE NOT EXISTS (SELECT 1 FROM alert_notification WHERE alert = ? AND labels = ?)", alert, labels, alert, labels);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        }
        // if another replica has told it meanwhile, the revision has moved on and this one's change will not be made
        return new Row(alert, labels, false, null, null, null, null, 0);
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        return Sql.update(connection, sql, statement -> {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
        });
    }

    private String labels(AlertMessage message) {
        try {
            return json.writeValueAsString(new TreeMap<>(message.labels()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> parse(String labels) {
        try {
            return json.readValue(labels, LABELS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
